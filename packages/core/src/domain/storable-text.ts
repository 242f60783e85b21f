/**
 * Text the stores can keep: no NUL (PostgreSQL `text` cannot hold it) and no lone UTF-16 surrogate (it has no
 * UTF-8 encoding, so PostgreSQL refuses it too). The in-memory stores would keep both, so the rule lives here, once,
 * and every edge checks it before anything is written.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (text: string): boolean => !text.includes("\u0000") && !LONE_SURROGATE.test(text);

/**
 * The path (`deliveryAddress.line1`, `items[0]`) of the first string or object key in a JSON value that breaks
 * the rule above, or null when every string is storable.
 */
export function findUnstorableText(value: unknown, path = ""): string | null {
  if (typeof value === "string") return isStorableText(value) ? null : path || "(value)";
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const at = path === "" ? key : `${path}.${key}`;
      if (!isStorableText(key)) return at;
      const found = findUnstorableText(item, at);
      if (found !== null) return found;
    }
  }
  return null;
}
