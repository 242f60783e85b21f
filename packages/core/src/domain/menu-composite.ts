import type { ComboDocument, MenuItemDocument, OptionGroupDocument } from "./menu.js";
import { MenuInvalidError, type MenuError, optionInvalid, optionUnavailable, selectionOutOfRange } from "./menu.errors.js";
import { type Money, add, money, subtract, sum } from "./money.js";
import type { OrderLine } from "./order.js";
import { type Result, err, ok } from "./result.js";

/** One unit of an entry with its chosen options, priced. */
export interface PricedUnit {
  readonly unitPrice: Money;
  readonly options: OrderLine["options"];
}

/**
 * A node of the menu a cart line can name: an item (a leaf with option groups) or a combo (a composite of
 * items). Every node has passed its own invariants at construction, so `priceUnit` never yields a negative price.
 */
export interface MenuEntry {
  readonly id: string;
  readonly name: string;
  /** The price with no options chosen. */
  readonly basePrice: Money;
  /** The id of the part that cannot be sold now (the entry itself or one of a combo's items), or null. */
  unavailablePart(): string | null;
  /** Prices one unit with the chosen option ids; `line` is the cart line index, for error details. */
  priceUnit(optionIds: readonly string[], line: number): Result<PricedUnit, MenuError>;
}

/** Reads a price from a document, which may come from JSON: integer minor units in the menu's currency. */
function checkedMoney(value: Money, currency: string, where: string, allowNegative = false): Money {
  const valid =
    typeof value === "object" &&
    value !== null &&
    Number.isSafeInteger(value.amount) &&
    value.currency === currency &&
    (allowNegative || value.amount >= 0);
  if (!valid) {
    const sign = allowNegative ? "" : "non-negative ";
    throw new MenuInvalidError(`${where} must be ${sign}integer minor units of ${currency}`, { where, value });
  }
  return money(value.amount, currency);
}

function checkGroup(itemId: string, group: OptionGroupDocument): void {
  const { min, max } = group;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || min > max) {
    throw new MenuInvalidError(`group ${group.id} of ${itemId} needs integers 0 <= min <= max, got ${min}..${max}`, {
      itemId,
      groupId: group.id,
    });
  }
  if (min > group.options.length) {
    const count = group.options.length;
    throw new MenuInvalidError(`group ${group.id} of ${itemId} requires ${min} of only ${count} options`, {
      itemId,
      groupId: group.id,
    });
  }
}

/** The lowest total delta a valid selection in `group` can reach: the `min` cheapest, plus any further discounts. */
function cheapestDelta(group: OptionGroupDocument): number {
  const deltas = group.options.map((o) => o.priceDelta.amount).sort((a, b) => a - b);
  return deltas.reduce((total, d, i) => (i < group.min || (i < group.max && d < 0) ? total + d : total), 0);
}

/** A dish: a base price plus option groups whose options add (or, for "no cheese", subtract) a delta. */
export class MenuItem implements MenuEntry {
  readonly basePrice: Money;
  private readonly optionIds = new Set<string>();
  private readonly switchedOff = new Set<string>();

  constructor(
    private readonly doc: MenuItemDocument,
    currency: string,
  ) {
    this.basePrice = checkedMoney(doc.price, currency, `price of ${doc.id}`);
    const groupIds = new Set<string>();
    for (const group of doc.optionGroups) {
      if (groupIds.has(group.id)) {
        throw new MenuInvalidError(`duplicate group ${group.id} in ${doc.id}`, { itemId: doc.id, groupId: group.id });
      }
      groupIds.add(group.id);
      checkGroup(doc.id, group);
      for (const option of group.options) {
        if (this.optionIds.has(option.id)) {
          const details = { itemId: doc.id, optionId: option.id };
          throw new MenuInvalidError(`duplicate option ${option.id} in ${doc.id}`, details);
        }
        checkedMoney(option.priceDelta, currency, `delta of option ${option.id} in ${doc.id}`, true);
        this.optionIds.add(option.id);
        if (option.available === false) this.switchedOff.add(option.id);
      }
    }
    // Negative deltas are allowed, so bound them here: no valid selection may price the item below zero.
    const cheapest = doc.optionGroups.reduce((total, g) => total + cheapestDelta(g), this.basePrice.amount);
    if (cheapest < 0) {
      throw new MenuInvalidError(`${doc.id} can be priced at ${cheapest} with its discounting options`, {
        itemId: doc.id,
      });
    }
  }

  get id(): string {
    return this.doc.id;
  }

  get name(): string {
    return this.doc.name;
  }

  /** Whether some option group requires a choice; such an item cannot sit in a combo, which takes no options. */
  get requiresChoice(): boolean {
    return this.doc.optionGroups.some((g) => g.min > 0);
  }

  unavailablePart(): string | null {
    return this.doc.available ? null : this.doc.id;
  }

  priceUnit(optionIds: readonly string[], line: number): Result<PricedUnit, MenuError> {
    const chosen = new Set<string>();
    for (const optionId of optionIds) {
      if (!this.optionIds.has(optionId)) return err(optionInvalid(line, this.id, optionId, "not offered on this item"));
      if (chosen.has(optionId)) return err(optionInvalid(line, this.id, optionId, "chosen more than once"));
      if (this.switchedOff.has(optionId)) return err(optionUnavailable(line, this.id, optionId));
      chosen.add(optionId);
    }
    const options: PricedUnit["options"][number][] = [];
    for (const group of this.doc.optionGroups) {
      const picked = group.options.filter((o) => chosen.has(o.id));
      if (picked.length < group.min || picked.length > group.max) {
        return err(selectionOutOfRange(line, this.id, group.id, picked.length, group));
      }
      // Menu order, not the order sent, so equal selections read the same on the kitchen ticket.
      options.push(...picked.map((o) => ({ id: o.id, name: o.name, priceDelta: o.priceDelta })));
    }
    const unitPrice = options.reduce((total, o) => add(total, o.priceDelta), this.basePrice);
    return ok({ unitPrice, options });
  }
}

/**
 * A bundle of items sold as one line, at a fixed price or at a discount off the sum of its items' base prices.
 * It takes no options: its items come in their base configuration, so items that require a choice are refused.
 */
export class Combo implements MenuEntry {
  readonly basePrice: Money;

  constructor(
    private readonly doc: ComboDocument,
    private readonly items: readonly MenuItem[],
    currency: string,
  ) {
    if (items.length === 0) throw new MenuInvalidError(`combo ${doc.id} has no items`, { comboId: doc.id });
    const needsChoice = items.find((item) => item.requiresChoice);
    if (needsChoice) {
      throw new MenuInvalidError(`combo ${doc.id} contains ${needsChoice.id}, which requires an option choice`, {
        comboId: doc.id,
        itemId: needsChoice.id,
      });
    }
    const pricing = doc.pricing;
    if (pricing.kind === "fixed") {
      this.basePrice = checkedMoney(pricing.price, currency, `price of combo ${doc.id}`);
    } else if (pricing.kind === "discount") {
      const off = checkedMoney(pricing.off, currency, `discount of combo ${doc.id}`);
      const whole = sum(items.map((item) => item.basePrice), currency);
      // Refused rather than clamped: a discount above the whole is a typo the menu editor should see.
      if (off.amount > whole.amount) {
        throw new MenuInvalidError(`combo ${doc.id} takes ${off.amount} off items worth ${whole.amount}`, {
          comboId: doc.id,
        });
      }
      this.basePrice = subtract(whole, off);
    } else {
      throw new MenuInvalidError(`combo ${doc.id} has unknown pricing`, { comboId: doc.id });
    }
  }

  get id(): string {
    return this.doc.id;
  }

  get name(): string {
    return this.doc.name;
  }

  unavailablePart(): string | null {
    if (!this.doc.available) return this.doc.id;
    return this.items.find((item) => item.unavailablePart() !== null)?.id ?? null;
  }

  priceUnit(optionIds: readonly string[], line: number): Result<PricedUnit, MenuError> {
    const [first] = optionIds;
    if (first !== undefined) return err(optionInvalid(line, this.id, first, "a combo takes no options"));
    return ok({ unitPrice: this.basePrice, options: [] });
  }
}
