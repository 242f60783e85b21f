import { distanceKm } from "../domain/geo.js";
import type { MenuDocument } from "../domain/menu.js";
import { isOpen } from "../domain/restaurant.js";
import { MAX_QUERY_WORDS, searchWords } from "../domain/search-words.js";
import type { RestaurantProfile } from "../domain/restaurant.js";
import type { CatalogHit, CatalogSearch } from "../ports/catalog.js";

/** Weights of a word matched in the name, the cuisine, a dish name (as Postgres's ts_rank weights A, B, C). */
const WEIGHTS = { name: 1, cuisine: 0.4, dish: 0.2 } as const;

const words = (text: string): string[] => searchWords(text);

/** Sum over the query words of the best field each starts a word of; 0 when some query word matches nowhere. */
function textScore(queryWords: readonly string[], restaurant: RestaurantProfile, menu: MenuDocument | undefined): number {
  const fields: [number, string[]][] = [
    [WEIGHTS.name, words(restaurant.name)],
    [WEIGHTS.cuisine, words(restaurant.cuisine)],
    [WEIGHTS.dish, words((menu?.categories ?? []).flatMap((c) => c.items.map((i) => i.name)).join(" "))],
  ];
  let score = 0;
  for (const q of queryWords) {
    const best = Math.max(0, ...fields.filter(([, ws]) => ws.some((w) => w.startsWith(q))).map(([weight]) => weight));
    if (best === 0) return 0;
    score += best;
  }
  return score;
}

/** The in-memory catalog's search, ranked as the port describes. */
export function searchRestaurants(
  search: CatalogSearch,
  restaurants: Iterable<RestaurantProfile>,
  menuOf: (restaurantId: string) => MenuDocument | undefined,
): CatalogHit[] {
  const queryWords = searchWords(search.query ?? "", MAX_QUERY_WORDS);
  const hits: CatalogHit[] = [];
  for (const restaurant of restaurants) {
    const distance = distanceKm(search.point, restaurant.location);
    if (distance > search.radiusKm) continue;
    if (search.openAt && !isOpen(restaurant, search.openAt)) continue;
    const score = queryWords.length === 0 ? 0 : textScore(queryWords, restaurant, menuOf(restaurant.id));
    if (queryWords.length > 0 && score === 0) continue;
    hits.push({ ...structuredClone(restaurant), distanceKm: distance, textScore: score });
  }
  const rank = (h: CatalogHit) => (queryWords.length === 0 ? -h.distanceKm : h.textScore / (1 + h.distanceKm));
  return hits
    .sort((a, b) => rank(b) - rank(a) || a.distanceKm - b.distanceKm || (a.id < b.id ? -1 : 1))
    .slice(0, search.limit);
}
