/**
 * Restaurant search latency with thousands of restaurants, through the Catalog port as the API calls it.
 * `npm run bench:search` (TIFFIN_TEST_DATABASE_URL, else PGlite in memory; BENCH_DRIVER=pglite forces PGlite).
 * Seeds BENCH_RESTAURANTS (5000) restaurants with menus spread over a 40 x 40 km city, then runs BENCH_QUERIES
 * (300) searches of each kind from random points and prints p50/p95/max, and the plan of one text search.
 * Not part of CI: it measures, it asserts nothing.
 */
import { randomUUID } from "node:crypto";
import { ALWAYS_OPEN, type MenuDocument, SYSTEM_PRINCIPAL, type WeeklyHours } from "@tiffin/core";
import { PGlite } from "@electric-sql/pglite";
import { migrate } from "../migrate.js";
import type { Database } from "../sql/database.js";
import { PgDatabase } from "../sql/pg-database.js";
import { PgliteDatabase } from "../sql/pglite-database.js";
import { PostgresUnitOfWork } from "../unit-of-work.js";

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const RESTAURANTS = env("BENCH_RESTAURANTS", 5_000);
const QUERIES = env("BENCH_QUERIES", 300);
const url = process.env.BENCH_DRIVER === "pglite" ? "" : (process.env.TIFFIN_TEST_DATABASE_URL ?? "");
const CENTRE = { lat: 52.52, lng: 13.405 };
const CUISINES = ["indian", "italian", "japanese", "thai", "turkish", "vietnamese", "mexican", "greek", "lebanese", "korean", "german", "ethiopian"];
const WORDS = ["golden", "little", "royal", "green", "corner", "house", "garden", "kitchen", "street", "express", "palace", "bistro"];
const DISHES = ["curry", "pizza", "ramen", "pho", "falafel", "burger", "dumplings", "tacos", "souvlaki", "bibimbap", "schnitzel", "injera", "sushi", "kebab"];
const EVENINGS: WeeklyHours = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ opens: "17:00", closes: "23:30" }]]));

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
const around = (km: number) => ({ lat: CENTRE.lat + ((Math.random() - 0.5) * km) / 111.2, lng: CENTRE.lng + ((Math.random() - 0.5) * km) / 68 });
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

const menuFor = (restaurantId: string): MenuDocument => ({
  restaurantId,
  currency: "EUR",
  categories: [
    {
      id: "mains",
      name: "Mains",
      items: Array.from({ length: 6 }, (_, i) => ({ id: `dish-${i}`, name: `${pick(WORDS)} ${pick(DISHES)}`, price: { amount: 900 + i * 100, currency: "EUR" }, available: true, optionGroups: [] })),
    },
  ],
  combos: [],
});

async function open(): Promise<Database> {
  const schema = `bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const db = url ? new PgDatabase({ connectionString: url, schema, maxConnections: 4 }) : PgliteDatabase.over(await PGlite.create(), schema);
  await migrate(db);
  return db;
}

async function main(): Promise<void> {
  const db = await open();
  const uow = new PostgresUnitOfWork(db);
  const seeding = performance.now();
  for (let first = 0; first < RESTAURANTS; first += 250) {
    await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
      for (let n = first; n < Math.min(RESTAURANTS, first + 250); n += 1) {
        const id = `bench-${n}`;
        await tx.catalog.saveRestaurant({
          id,
          name: `${pick(WORDS)} ${pick(WORDS)} ${n}`,
          cuisine: pick(CUISINES),
          city: "berlin",
          location: around(40),
          timeZone: "Europe/Berlin",
          hours: n % 3 === 0 ? EVENINGS : ALWAYS_OPEN,
          prepMinutes: 15,
          closedNow: n % 17 === 0,
          deliveryRadiusKm: 10,
        });
        await tx.catalog.publishMenu(id, menuFor(id), new Date().toISOString());
      }
    });
  }
  await db.exec("ANALYZE");
  console.log(`${url ? "pg" : "PGlite"}: seeded ${RESTAURANTS} restaurants with menus in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const kinds: Record<string, () => { radiusKm: number; query?: string; openAt?: Date }> = {
    "nearby 5 km": () => ({ radiusKm: 5 }),
    "nearby 5 km, open now": () => ({ radiusKm: 5, openAt: new Date() }),
    "text q=<dish prefix>, 5 km": () => ({ radiusKm: 5, query: pick(DISHES).slice(0, 4) }),
    "text q=<two words>, 15 km, open now": () => ({ radiusKm: 15, query: `${pick(WORDS)} ${pick(DISHES)}`, openAt: new Date() }),
  };
  for (const [kind, make] of Object.entries(kinds)) {
    const timings: number[] = [];
    let hits = 0;
    for (let i = 0; i < QUERIES; i += 1) {
      const started = performance.now();
      const found = await uow.run({ role: "customer", id: "bench" }, (tx) => tx.catalog.search({ point: around(30), limit: 20, ...make() }));
      timings.push(performance.now() - started);
      hits += found.length;
    }
    timings.sort((a, b) => a - b);
    const ms = (v: number) => v.toFixed(2).padStart(7);
    console.log(`${kind.padEnd(38)} p50 ${ms(percentile(timings, 50))} ms  p95 ${ms(percentile(timings, 95))} ms  max ${ms(timings.at(-1) ?? NaN)} ms  (${(hits / QUERIES).toFixed(1)} hits/query)`);
  }
  // As the API runs it: a customer, under row-level security.
  const plan = await db.transaction({ role: "customer", id: "bench" }, (tx) =>
    tx.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT r.id FROM restaurant_search s JOIN restaurants r ON r.id = s.id
       WHERE point(s.lng, s.lat) <@ box(point(13.33, 52.47), point(13.48, 52.57)) AND s.search @@ to_tsquery('simple', 'curr:*')`,
    ),
  );
  console.log(`plan of a text search in a box, as a customer:\n  ${plan.map((r) => r["QUERY PLAN"]).join("\n  ")}`);
  await db.exec(`DROP SCHEMA "${db.schema}" CASCADE`);
  await db.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
