import type { MenuDocument } from "../../domain/menu.js";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A structural problem of a menu document: what is wrong and the path of the node (`categories[0].items[2].price`). */
export interface ShapeProblem {
  readonly message: string;
  readonly path: string;
}

/** A field's check and how the message describes a valid value. */
type Field = readonly [check: (v: unknown) => boolean, expected: string];

const TEXT: Field = [(v) => typeof v === "string" && v !== "" && v.length <= 200, "a string of 1..200 characters"];
const LIST: Field = [Array.isArray, "a list"];
const BOOL: Field = [(v) => typeof v === "boolean", "a boolean"];
const OPTIONAL_BOOL: Field = [(v) => v === undefined || typeof v === "boolean", "a boolean when given"];
const INT: Field = [Number.isInteger, "an integer"];
const MONEY: Field = [(v) => isRecord(v) && typeof v.amount === "number" && typeof v.currency === "string", "money { amount, currency }"];
const OBJECT: Field = [isRecord, "an object"];

function node(value: unknown, path: string, fields: Readonly<Record<string, Field>>): ShapeProblem | null {
  if (!isRecord(value)) return { message: `${path} must be an object`, path };
  for (const [name, [check, expected]] of Object.entries(fields)) {
    if (!check(value[name])) return { message: `${path}.${name} must be ${expected}`, path: `${path}.${name}` };
  }
  return null;
}

/**
 * Checks that a document has the menu's shape before the Composite checks its rules, so a malformed body is
 * refused with the path of its first bad node instead of failing inside pricing.
 */
export function menuShapeProblem(doc: unknown): ShapeProblem | null {
  const root = node(doc, "menu", { currency: TEXT, categories: LIST, combos: LIST });
  if (root) return root;
  const menu = doc as MenuDocument;
  for (const [c, category] of menu.categories.entries()) {
    const at = `categories[${c}]`;
    const bad = node(category, at, { id: TEXT, name: TEXT, items: LIST });
    if (bad) return bad;
    for (const [i, item] of category.items.entries()) {
      const itemAt = `${at}.items[${i}]`;
      const badItem = node(item, itemAt, { id: TEXT, name: TEXT, price: MONEY, available: BOOL, optionGroups: LIST });
      if (badItem) return badItem;
      for (const [g, group] of item.optionGroups.entries()) {
        const groupAt = `${itemAt}.optionGroups[${g}]`;
        const badGroup = node(group, groupAt, { id: TEXT, name: TEXT, min: INT, max: INT, options: LIST });
        if (badGroup) return badGroup;
        for (const [o, option] of group.options.entries()) {
          const badOption = node(option, `${groupAt}.options[${o}]`, { id: TEXT, name: TEXT, priceDelta: MONEY, available: OPTIONAL_BOOL });
          if (badOption) return badOption;
        }
      }
    }
  }
  for (const [k, combo] of menu.combos.entries()) {
    const bad = node(combo, `combos[${k}]`, { id: TEXT, name: TEXT, itemIds: LIST, available: BOOL, pricing: OBJECT });
    if (bad) return bad;
  }
  return null;
}
