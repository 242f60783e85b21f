import { describe, expect, it } from "vitest";
import type { MenuDocument } from "../../domain/menu.js";
import { ALL_STORE_FEATURES, type StoreFeatures, type StoreHarnessFactory, asSystem, uid, useHarness } from "./harness.js";
import { northOf, randomPoint, sampleMenu, sampleRestaurant, seedRestaurant } from "./samples.js";

const AT = "2026-03-02T12:00:00.000Z";
/** A Monday: 12:00 UTC is 17:30 in Asia/Kolkata and 07:00 in America/New_York (winter time). */
const MONDAY_NOON_UTC = new Date("2026-03-02T12:00:00.000Z");

const withDish = (name: string) => (restaurantId: string): MenuDocument => {
  const menu = sampleMenu(restaurantId);
  const [mains] = menu.categories;
  return { ...menu, categories: [{ ...mains!, items: [...mains!.items, { id: "special", name, price: { amount: 900, currency: "EUR" }, available: true, optionGroups: [] }] }] };
};

/** Catalog: profiles, menu versions, stock with all-or-nothing reservations, and the ranked search. */
export function describeCatalogContract(name: string, factory: StoreHarnessFactory, features: StoreFeatures = ALL_STORE_FEATURES): void {
  describe(`${name}: Catalog contract`, () => {
    const harness = useHarness(factory);

    it("saves and replaces a restaurant profile; an unknown one is null", async () => {
      const { uow } = harness();
      const restaurant = sampleRestaurant({ timeZone: "Asia/Kolkata", hours: { mon: [{ opens: "18:00", closes: "02:00" }] } });
      await asSystem(uow, (tx) => tx.catalog.saveRestaurant(restaurant));
      expect(await uow.run({ role: "customer", id: uid("customer") }, (tx) => tx.catalog.restaurant(restaurant.id))).toEqual(restaurant);
      const renamed = { ...restaurant, name: "Renamed", closedNow: true, prepMinutes: 25, deliveryRadiusKm: 3.5 };
      await asSystem(uow, (tx) => tx.catalog.saveRestaurant(renamed));
      expect(await asSystem(uow, (tx) => tx.catalog.restaurant(restaurant.id))).toEqual(renamed);
      expect(await asSystem(uow, (tx) => tx.catalog.restaurant(uid("restaurant")))).toBeNull();
    });

    it("publishes numbered versions and keeps every earlier one unchanged", async () => {
      const { uow } = harness();
      const restaurant = await seedRestaurant(uow);
      expect(await asSystem(uow, (tx) => tx.catalog.menuStamp(restaurant.id))).toEqual({ version: 1, revision: expect.any(Number) });
      const second = await asSystem(uow, (tx) => tx.catalog.publishMenu(restaurant.id, sampleMenu(restaurant.id, "GBP"), AT));
      expect(second).toEqual({ restaurantId: restaurant.id, version: 2, document: sampleMenu(restaurant.id, "GBP"), publishedAt: AT });
      expect(await asSystem(uow, (tx) => tx.catalog.menu(restaurant.id))).toEqual(second);
      expect((await asSystem(uow, (tx) => tx.catalog.menu(restaurant.id, 1)))?.document).toEqual(sampleMenu(restaurant.id));
      expect((await asSystem(uow, (tx) => tx.catalog.menuStamp(restaurant.id)))?.version).toBe(2);
      expect(await asSystem(uow, (tx) => tx.catalog.menu(restaurant.id, 3))).toBeNull();
      const empty = uid("restaurant");
      expect(await asSystem(uow, (tx) => tx.catalog.menu(empty))).toBeNull();
      expect(await asSystem(uow, (tx) => tx.catalog.menuStamp(empty))).toBeNull();
    });

    it("keeps stock per entry: the document's availability, staff changes, portions kept across versions", async () => {
      const { uow } = harness();
      const { id } = await seedRestaurant(uow);
      const byId = async () => new Map((await asSystem(uow, (tx) => tx.catalog.stock(id))).map((s) => [s.itemId, s]));
      expect([...(await byId()).values()].sort((a, b) => a.itemId.localeCompare(b.itemId))).toEqual([
        { itemId: "green-curry", available: false, portionsLeft: null, unavailableOptions: [] },
        { itemId: "lunch", available: true, portionsLeft: null, unavailableOptions: [] },
        { itemId: "pad-thai", available: true, portionsLeft: null, unavailableOptions: [] },
        { itemId: "spring-rolls", available: true, portionsLeft: null, unavailableOptions: [] },
      ]);
      const before = await asSystem(uow, (tx) => tx.catalog.menuStamp(id));
      expect(await asSystem(uow, (tx) => tx.catalog.setStock(id, "pad-thai", { portions: 5 }))).toEqual({ itemId: "pad-thai", available: true, portionsLeft: 5, unavailableOptions: [] });
      expect(await asSystem(uow, (tx) => tx.catalog.setStock(id, "green-curry", { available: true }))).toMatchObject({ available: true });
      const after = await asSystem(uow, (tx) => tx.catalog.menuStamp(id));
      expect(after?.version).toBe(before?.version);
      expect(after?.revision).toBeGreaterThan(before?.revision ?? 0);
      expect(await asSystem(uow, (tx) => tx.catalog.setStock(id, "no-such-item", { available: false }))).toBeNull();

      const smaller = sampleMenu(id);
      const [mains] = smaller.categories;
      const republished = { ...smaller, categories: [{ ...mains!, items: mains!.items.filter((i) => i.id !== "spring-rolls") }], combos: [] };
      await asSystem(uow, (tx) => tx.catalog.publishMenu(id, republished, AT));
      const stock = await byId();
      expect(stock.get("pad-thai")).toEqual({ itemId: "pad-thai", available: true, portionsLeft: 5, unavailableOptions: [] });
      expect(stock.get("green-curry")).toEqual({ itemId: "green-curry", available: false, portionsLeft: null, unavailableOptions: [] });
      expect(stock.has("spring-rolls")).toBe(false);
    });

    it("switches single options of an item off and on, and a publication resets them to the document", async () => {
      const { uow } = harness();
      const { id } = await seedRestaurant(uow);
      const padThai = async () => (await asSystem(uow, (tx) => tx.catalog.stock(id))).find((s) => s.itemId === "pad-thai");
      expect(await padThai()).toEqual({ itemId: "pad-thai", available: true, portionsLeft: null, unavailableOptions: [] });
      const before = await asSystem(uow, (tx) => tx.catalog.menuStamp(id));
      expect(await asSystem(uow, (tx) => tx.catalog.setStock(id, "pad-thai", { options: { hot: false } }))).toEqual({
        itemId: "pad-thai",
        available: true,
        portionsLeft: null,
        unavailableOptions: ["hot"],
      });
      expect((await asSystem(uow, (tx) => tx.catalog.menuStamp(id)))?.revision).toBeGreaterThan(before?.revision ?? 0);
      await asSystem(uow, (tx) => tx.catalog.setStock(id, "pad-thai", { options: { mild: false, hot: false } }));
      expect((await padThai())?.unavailableOptions).toEqual(["hot", "mild"]);
      await asSystem(uow, (tx) => tx.catalog.setStock(id, "pad-thai", { options: { hot: true }, portions: 4 }));
      expect(await padThai()).toEqual({ itemId: "pad-thai", available: true, portionsLeft: 4, unavailableOptions: ["mild"] });

      const menu = sampleMenu(id);
      const [mains] = menu.categories;
      const [dish, ...rest] = mains!.items;
      const [spice] = dish!.optionGroups;
      const hotOff = { ...spice!, options: spice!.options.map((o) => (o.id === "hot" ? { ...o, available: false } : o)) };
      await asSystem(uow, (tx) => tx.catalog.publishMenu(id, { ...menu, categories: [{ ...mains!, items: [{ ...dish!, optionGroups: [hotOff] }, ...rest] }] }, AT));
      expect(await padThai()).toEqual({ itemId: "pad-thai", available: true, portionsLeft: 4, unavailableOptions: ["hot"] });
    });

    it("reserves portions all or nothing, bumps the revision on selling out, and releases once", async () => {
      const { uow } = harness();
      const { id: restaurantId } = await seedRestaurant(uow);
      const customerId = uid("customer");
      await asSystem(uow, async (tx) => {
        await tx.catalog.setStock(restaurantId, "pad-thai", { portions: 3 });
        await tx.catalog.setStock(restaurantId, "spring-rolls", { portions: 1 });
      });
      const left = async (itemId: string) => (await asSystem(uow, (tx) => tx.catalog.stock(restaurantId))).find((s) => s.itemId === itemId)?.portionsLeft;
      const reserve = (orderId: string, needs: { itemId: string; quantity: number }[]) =>
        uow.run({ role: "customer", id: customerId }, (tx) => tx.catalog.reservePortions({ orderId, restaurantId, customerId, needs }));

      const [first, second, third] = [uid("order"), uid("order"), uid("order")];
      expect(await reserve(first, [{ itemId: "pad-thai", quantity: 2 }, { itemId: "spring-rolls", quantity: 2 }])).toEqual({ ok: false, soldOutItemId: "spring-rolls" });
      expect([await left("pad-thai"), await left("spring-rolls")]).toEqual([3, 1]);
      const open = await asSystem(uow, (tx) => tx.catalog.menuStamp(restaurantId));
      expect(await reserve(first, [{ itemId: "green-curry", quantity: 4 }, { itemId: "pad-thai", quantity: 2 }, { itemId: "spring-rolls", quantity: 1 }])).toEqual({ ok: true });
      expect([await left("pad-thai"), await left("spring-rolls"), await left("green-curry")]).toEqual([1, 0, null]);
      const soldOut = await asSystem(uow, (tx) => tx.catalog.menuStamp(restaurantId));
      expect(soldOut?.revision).toBeGreaterThan(open?.revision ?? 0);
      expect(await reserve(second, [{ itemId: "pad-thai", quantity: 2 }])).toEqual({ ok: false, soldOutItemId: "pad-thai" });
      expect(await reserve(third, [{ itemId: "pad-thai", quantity: 1 }])).toEqual({ ok: true });
      expect(await left("pad-thai")).toBe(0);

      await uow.run({ role: "customer", id: customerId }, (tx) => tx.catalog.releasePortions(first));
      expect([await left("pad-thai"), await left("spring-rolls")]).toEqual([2, 1]);
      expect((await asSystem(uow, (tx) => tx.catalog.menuStamp(restaurantId)))?.revision).toBeGreaterThan(soldOut?.revision ?? 0);
      await asSystem(uow, (tx) => tx.catalog.releasePortions(first));
      await asSystem(uow, (tx) => tx.catalog.releasePortions(uid("order")));
      expect([await left("pad-thai"), await left("spring-rolls")]).toEqual([2, 1]);
    });

    it("finds restaurants within the radius, nearest first, with their distance", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const near = await seedRestaurant(uow, { location: northOf(centre, 0.5) });
      const mid = await seedRestaurant(uow, { location: northOf(centre, 2) });
      const far = await seedRestaurant(uow, { location: northOf(centre, 4) });
      const outside = await seedRestaurant(uow, { location: northOf(centre, 9) });
      const mine = new Set([near, mid, far, outside].map((r) => r.id));
      const found = (await asSystem(uow, (tx) => tx.catalog.search({ point: centre, radiusKm: 5, limit: 100 }))).filter((r) => mine.has(r.id));
      expect(found.map((r) => r.id)).toEqual([near.id, mid.id, far.id]);
      expect(found.map((r) => Math.round(r.distanceKm * 10) / 10)).toEqual([0.5, 2, 4]);
      expect(found[0]).toMatchObject({ ...near, textScore: 0 });
      expect(await asSystem(uow, (tx) => tx.catalog.search({ point: centre, radiusKm: 5, limit: 2 }))).toHaveLength(2);
    });

    it("with openAt, keeps only restaurants open on their own clock and not paused", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const evening = { mon: [{ opens: "17:00", closes: "23:00" }] };
      const kolkata = await seedRestaurant(uow, { timeZone: "Asia/Kolkata", hours: evening, location: northOf(centre, 1) });
      const newYork = await seedRestaurant(uow, { timeZone: "America/New_York", hours: evening, location: northOf(centre, 1.5) });
      const lateNight = await seedRestaurant(uow, { timeZone: "UTC", hours: { sun: [{ opens: "20:00", closes: "13:00" }] }, location: northOf(centre, 2) });
      const paused = await seedRestaurant(uow, { closedNow: true, location: northOf(centre, 2.5) });
      const mine = new Set([kolkata, newYork, lateNight, paused].map((r) => r.id));
      const search = (openAt?: Date) =>
        asSystem(uow, (tx) => tx.catalog.search({ point: centre, radiusKm: 5, limit: 100, ...(openAt ? { openAt } : {}) }));
      const open = (await search(MONDAY_NOON_UTC)).filter((r) => mine.has(r.id)).map((r) => r.id);
      expect(open).toEqual([kolkata.id, lateNight.id]);
      expect((await search()).filter((r) => mine.has(r.id))).toHaveLength(4);
    });

    it("matches every query word as a word prefix and ranks name over cuisine over dish, then distance", async () => {
      const { uow } = harness();
      const centre = randomPoint();
      const word = `zq${uid("w").slice(-8)}`;
      const byDish = await seedRestaurant(uow, { location: northOf(centre, 0.3) }, withDish(`Crispy ${word} bites`));
      const byCuisine = await seedRestaurant(uow, { cuisine: word, location: northOf(centre, 1) });
      const byName = await seedRestaurant(uow, { name: `The ${word.toUpperCase()} House`, location: northOf(centre, 1.2) });
      const byNameFar = await seedRestaurant(uow, { name: `${word} Express`, location: northOf(centre, 3) });
      await seedRestaurant(uow, { name: `Not${word}`, location: northOf(centre, 0.5) });
      const search = (query: string) => asSystem(uow, (tx) => tx.catalog.search({ point: centre, radiusKm: 5, query, limit: 10 }));

      const found = await search(word.slice(0, 7));
      expect(found.map((r) => r.id)).toEqual([byName.id, byNameFar.id, byCuisine.id, byDish.id]);
      expect(found.every((r) => r.textScore > 0)).toBe(true);
      expect((await search(`${word} house`)).map((r) => r.id)).toEqual([byName.id]);
      expect(await search(`${word} nosuchword`)).toEqual([]);
    });

    it.skipIf(!features.rowLevelSecurity)("lets a restaurant's staff change only their own restaurant, and customers none", async () => {
      const { uow } = harness();
      const [own, other] = [await seedRestaurant(uow), await seedRestaurant(uow)];
      const staff = { role: "restaurant" as const, id: uid("staff"), restaurantId: own.id };
      await uow.run(staff, async (tx) => {
        await tx.catalog.saveRestaurant({ ...own, closedNow: true });
        await tx.catalog.publishMenu(own.id, sampleMenu(own.id), AT);
        await tx.catalog.setStock(own.id, "pad-thai", { portions: 2 });
      });
      expect(await asSystem(uow, (tx) => tx.catalog.restaurant(own.id))).toMatchObject({ closedNow: true });
      await expect(uow.run(staff, (tx) => tx.catalog.saveRestaurant({ ...other, closedNow: true }))).rejects.toThrow();
      await expect(uow.run(staff, (tx) => tx.catalog.publishMenu(other.id, sampleMenu(other.id), AT))).rejects.toThrow();
      await expect(uow.run({ role: "customer", id: uid("customer") }, (tx) => tx.catalog.publishMenu(own.id, sampleMenu(own.id), AT))).rejects.toThrow();
      expect(await asSystem(uow, (tx) => tx.catalog.restaurant(other.id))).toMatchObject({ closedNow: false });
      expect((await asSystem(uow, (tx) => tx.catalog.menuStamp(other.id)))?.version).toBe(1);
    });
  });
}
