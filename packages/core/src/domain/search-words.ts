/**
 * The words of a search text: lower-cased runs of letters and digits, as Postgres's `simple` text search
 * configuration splits them. Both catalog stores match each query word as a prefix of a word, and because only
 * letters and digits survive, a query can never inject text search syntax.
 */
export const searchWords = (text: string, limit = Number.POSITIVE_INFINITY): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "")
    .slice(0, limit);

/** At most this many query words are used. */
export const MAX_QUERY_WORDS = 8;
