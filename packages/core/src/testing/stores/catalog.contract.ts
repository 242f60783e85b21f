import { describe, expect, it } from "vitest";
import { type StoreHarnessFactory, asSystem, uid, useHarness } from "./harness.js";
import { northOf, randomPoint, sampleMenu, sampleRestaurant, seedRestaurant } from "./samples.js";

/** Catalog: restaurants and menus round-trip, and the nearby search by distance and text. */
export function describeCatalogContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name}: Catalog contract`, () => {
    const harness = useHarness(factory);

    it("stores a restaurant with its menu and replaces both on upsert", async () => {
      const { uow } = harness();
      const restaurant = sampleRestaurant();
      await asSystem(uow, (tx) => tx.catalog.upsert(restaurant, sampleMenu(restaurant.id)));
      expect(await uow.run({ role: "customer", id: uid("customer") }, (tx) => tx.catalog.restaurant(restaurant.id))).toEqual(restaurant);
      expect(await asSystem(uow, (tx) => tx.catalog.menu(restaurant.id))).toEqual(sampleMenu(restaurant.id));
      const renamed = { ...restaurant, name: "Renamed", open: false };
      await asSystem(uow, (tx) => tx.catalog.upsert(renamed, sampleMenu(restaurant.id, "GBP")));
      expect(await asSystem(uow, (tx) => tx.catalog.restaurant(restaurant.id))).toEqual(renamed);
      expect(await asSystem(uow, (tx) => tx.catalog.menu(restaurant.id))).toMatchObject({ currency: "GBP" });
      expect(await asSystem(uow, (tx) => tx.catalog.restaurant(uid("restaurant")))).toBeNull();
      expect(await asSystem(uow, (tx) => tx.catalog.menu(uid("restaurant")))).toBeNull();
    });

    it("finds open restaurants within the radius, nearest first, with their distance", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const near = await seedRestaurant(uow, { location: northOf(centre, 0.5) });
      const mid = await seedRestaurant(uow, { location: northOf(centre, 2) });
      const far = await seedRestaurant(uow, { location: northOf(centre, 4) });
      const closed = await seedRestaurant(uow, { location: northOf(centre, 1), open: false });
      const outside = await seedRestaurant(uow, { location: northOf(centre, 9) });
      const mine = new Set([near, mid, far, closed, outside].map((r) => r.id));
      const found = (await asSystem(uow, (tx) => tx.catalog.nearby({ point: centre, radiusKm: 5, limit: 100 }))).filter((r) => mine.has(r.id));
      expect(found.map((r) => r.id)).toEqual([near.id, mid.id, far.id]);
      expect(found.map((r) => Math.round(r.distanceKm * 10) / 10)).toEqual([0.5, 2, 4]);
      expect(found[0]).toMatchObject({ name: near.name, cuisine: near.cuisine, location: near.location, open: true });
      const limited = await asSystem(uow, (tx) => tx.catalog.nearby({ point: centre, radiusKm: 5, limit: 2 }));
      expect(limited.length).toBeLessThanOrEqual(2);
    });

    it("matches the query against name or cuisine, ignoring case", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const word = `zq${uid("w").slice(-8)}`;
      const byName = await seedRestaurant(uow, { name: `The ${word.toUpperCase()} House`, location: northOf(centre, 1) });
      const byCuisine = await seedRestaurant(uow, { cuisine: word, location: northOf(centre, 2) });
      await seedRestaurant(uow, { location: northOf(centre, 0.5) });
      const found = await asSystem(uow, (tx) => tx.catalog.nearby({ point: centre, radiusKm: 5, query: word, limit: 10 }));
      expect(found.map((r) => r.id)).toEqual([byName.id, byCuisine.id]);
    });
  });
}
