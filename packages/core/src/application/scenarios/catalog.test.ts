import { afterEach, describe, expect, it } from "vitest";
import { sampleMenu } from "../../testing/stores/samples.js";
import { Scenario } from "../../testing/scenario.js";
import { ManualKitchen } from "../kitchen/kitchens.js";

let scenario: Scenario;
afterEach(async () => scenario?.dispose());

const NEW_RESTAURANT = {
  name: "Dosa Corner",
  cuisine: "south indian",
  city: "berlin",
  location: { lat: 52.5, lng: 13.4 },
  timeZone: "Europe/Berlin",
  hours: { mon: [{ opens: "11:00", closes: "22:00" }] },
  prepMinutes: 20,
};

describe("restaurants", () => {
  it("lets an admin create one and its staff change it; other staff and customers cannot", async () => {
    scenario = await new Scenario().start();
    const created = await scenario.tiffin.send(scenario.admin, { type: "CreateRestaurant", restaurant: NEW_RESTAURANT });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value).toMatchObject({ ...NEW_RESTAURANT, closedNow: false, open: expect.any(Boolean) });
    const id = created.value.id;

    const byCustomer = await scenario.tiffin.send(scenario.customer(), { type: "CreateRestaurant", restaurant: NEW_RESTAURANT });
    expect(!byCustomer.ok && byCustomer.error.code).toBe("FORBIDDEN");
    const badZone = await scenario.tiffin.send(scenario.admin, { type: "CreateRestaurant", restaurant: { ...NEW_RESTAURANT, timeZone: "Mars/Olympus" } });
    expect(!badZone.ok && badZone.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "timeZone" } });
    const badHours = await scenario.tiffin.send(scenario.admin, { type: "CreateRestaurant", restaurant: { ...NEW_RESTAURANT, hours: { mon: [{ opens: "25:00", closes: "22:00" }] } } });
    expect(!badHours.ok && badHours.error.message).toMatch(/hours\.mon\[0\]\.opens/);

    const staff = { role: "restaurant" as const, id: "staff-9", restaurantId: id };
    const paused = await scenario.tiffin.send(staff, { type: "UpdateRestaurant", restaurantId: id, change: { closedNow: true, prepMinutes: 30 } });
    expect(paused.ok && paused.value).toMatchObject({ closedNow: true, prepMinutes: 30, open: false, name: "Dosa Corner" });
    const otherStaff = await scenario.tiffin.send(scenario.staff(), { type: "UpdateRestaurant", restaurantId: id, change: { closedNow: false } });
    expect(!otherStaff.ok && otherStaff.error.code).toBe("NOT_FOUND");
  });

  it("refuses placement while paused and takes orders again once resumed", async () => {
    scenario = await new Scenario().start();
    const pause = (closedNow: boolean) =>
      scenario.tiffin.send(scenario.staff(), { type: "UpdateRestaurant", restaurantId: scenario.restaurant.id, change: { closedNow } });
    await pause(true);
    const refused = await scenario.tiffin.send(scenario.customer(), { type: "PlaceOrder", idempotencyKey: "a", order: scenario.orderBody() });
    expect(!refused.ok && refused.error.code).toBe("RESTAURANT_CLOSED");
    const search = await scenario.tiffin.ask(scenario.customer(), { type: "NearbyRestaurants", point: scenario.restaurant.location });
    expect(search.ok && search.value).toEqual([]);
    await pause(false);
    expect((await scenario.placeOrder()).status).toBe("placed");
  });
});

describe("delivery range", () => {
  it("refuses an address beyond the restaurant's radius with DELIVERY_OUT_OF_RANGE and stores nothing", async () => {
    scenario = await new Scenario().start();
    const customer = scenario.customer();
    const capeTown = { restaurantId: scenario.restaurant.id, items: [{ itemId: "pad-thai", quantity: 2 }], deliveryAddress: { lat: -33.9, lng: 18.4 } };
    const refused = await scenario.tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: "far-1", order: capeTown });
    expect(!refused.ok && refused.error).toMatchObject({ code: "DELIVERY_OUT_OF_RANGE", details: { restaurantId: scenario.restaurant.id, radiusKm: 10 } });
    const history = await scenario.tiffin.ask(customer, { type: "OrderHistory" });
    expect(history.ok && history.value.items).toEqual([]);
    // The next order in range is the customer's only one: nothing of the refused one was written.
    const placed = await scenario.placeOrder(customer);
    const after = await scenario.tiffin.ask(customer, { type: "OrderHistory" });
    expect(after.ok && after.value.items.map((view) => view.id)).toEqual([placed.id]);
  });

  it("takes each restaurant's own radius: 10 km unless its staff set another", async () => {
    scenario = await new Scenario().start();
    const created = await scenario.tiffin.send(scenario.admin, { type: "CreateRestaurant", restaurant: NEW_RESTAURANT });
    expect(created.ok && created.value.deliveryRadiusKm).toBe(10);
    const badRadius = await scenario.tiffin.send(scenario.staff(), { type: "UpdateRestaurant", restaurantId: scenario.restaurant.id, change: { deliveryRadiusKm: 0 } });
    expect(!badRadius.ok && badRadius.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "deliveryRadiusKm" } });
    // The scenario's order goes 1 km north of the restaurant.
    const narrowed = await scenario.tiffin.send(scenario.staff(), { type: "UpdateRestaurant", restaurantId: scenario.restaurant.id, change: { deliveryRadiusKm: 0.5 } });
    expect(narrowed.ok && narrowed.value.deliveryRadiusKm).toBe(0.5);
    const refused = await scenario.tiffin.send(scenario.customer(), { type: "PlaceOrder", idempotencyKey: "near-1", order: scenario.orderBody() });
    expect(!refused.ok && refused.error.code).toBe("DELIVERY_OUT_OF_RANGE");
    await scenario.tiffin.send(scenario.staff(), { type: "UpdateRestaurant", restaurantId: scenario.restaurant.id, change: { deliveryRadiusKm: 2 } });
    expect((await scenario.placeOrder()).status).toBe("placed");
  });
});

describe("menus", () => {
  it("publishes versions; an order keeps its lines, total and version when the menu changes", async () => {
    scenario = await new Scenario().start();
    const placed = await scenario.placeOrder();
    expect(placed.menuVersion).toBe(1);
    const repriced = sampleMenu(scenario.restaurant.id);
    const [mains] = repriced.categories;
    const menu = { ...repriced, categories: [{ ...mains!, items: mains!.items.map((i) => (i.id === "pad-thai" ? { ...i, name: "Pad Thai XL", price: { amount: 9999, currency: "EUR" } } : i)) }] };
    const published = await scenario.tiffin.send(scenario.staff(), { type: "PublishMenu", restaurantId: scenario.restaurant.id, menu });
    expect(published.ok && published.value).toEqual({ version: 2 });

    const view = await scenario.view(placed.id);
    expect(view).toMatchObject({ lines: placed.lines, total: { amount: 2500, currency: "EUR" }, menuVersion: 1 });
    const next = await scenario.placeOrder();
    expect(next).toMatchObject({ total: { amount: 2 * 9999, currency: "EUR" }, menuVersion: 2 });
    expect(next.lines[0]?.name).toBe("Pad Thai XL");
  });

  it("refuses an invalid menu with MENU_INVALID naming the bad node, and publishes nothing", async () => {
    scenario = await new Scenario().start();
    const menu = sampleMenu(scenario.restaurant.id);
    const publish = (doc: unknown) => scenario.tiffin.send(scenario.staff(), { type: "PublishMenu", restaurantId: scenario.restaurant.id, menu: doc });
    const broken = { ...menu, combos: [{ ...menu.combos[0]!, itemIds: ["pad-thai", "ghost"] }] };
    expect(await publish(broken)).toMatchObject({ ok: false, error: { code: "MENU_INVALID", details: { comboId: "lunch", itemId: "ghost" } } });
    const malformed = { ...menu, categories: [{ ...menu.categories[0]!, items: [{ id: "x", name: "X", price: 5, available: true, optionGroups: [] }] }] };
    expect(await publish(malformed)).toMatchObject({ ok: false, error: { code: "MENU_INVALID", details: { path: "categories[0].items[0].price" } } });
    const served = await scenario.tiffin.ask(scenario.customer(), { type: "Menu", restaurantId: scenario.restaurant.id });
    expect(served.ok && served.value.version).toBe(1);
    const stranger = await scenario.tiffin.send({ role: "restaurant", id: "s", restaurantId: "other" }, { type: "PublishMenu", restaurantId: scenario.restaurant.id, menu });
    expect(!stranger.ok && stranger.error.code).toBe("NOT_FOUND");
  });

  it("switches an item off and on for the next placement, with a new ETag each time", async () => {
    scenario = await new Scenario().start();
    const { id } = scenario.restaurant;
    const etag = async () => {
      const menu = await scenario.tiffin.ask(scenario.customer(), { type: "Menu", restaurantId: id });
      return menu.ok ? menu.value.etag : "";
    };
    const first = await etag();
    expect(await etag()).toBe(first);
    await scenario.tiffin.send(scenario.staff(), { type: "SetMenuItemStock", restaurantId: id, itemId: "pad-thai", available: false });
    const off = await etag();
    expect(off).not.toBe(first);
    const refused = await scenario.tiffin.send(scenario.customer(), { type: "PlaceOrder", idempotencyKey: "a", order: scenario.orderBody() });
    expect(!refused.ok && refused.error.code).toBe("MENU_ITEM_UNAVAILABLE");
    await scenario.tiffin.send(scenario.staff(), { type: "SetMenuItemStock", restaurantId: id, itemId: "pad-thai", available: true });
    expect(await etag()).not.toBe(off);
    expect((await scenario.placeOrder()).status).toBe("placed");
    const unknown = await scenario.tiffin.send(scenario.staff(), { type: "SetMenuItemStock", restaurantId: id, itemId: "ghost", available: true });
    expect(!unknown.ok && unknown.error.code).toBe("NOT_FOUND");
  });
});

describe("options", () => {
  it("switches one option off for the next placement while the rest of the item sells, then on again", async () => {
    scenario = await new Scenario().start();
    const { id } = scenario.restaurant;
    const switchHot = (available: boolean, principal = scenario.staff()) =>
      scenario.tiffin.send(principal, { type: "SetMenuItemStock", restaurantId: id, itemId: "pad-thai", options: { hot: available } });
    const place = (options: string[]) =>
      scenario.tiffin.send(scenario.customer(), {
        type: "PlaceOrder",
        idempotencyKey: `hot-${options.join("-")}-${Math.random()}`,
        order: { ...(scenario.orderBody() as object), items: [{ itemId: "pad-thai", quantity: 1, options }] },
      });
    const hotOnMenu = async () => {
      const menu = await scenario.tiffin.ask(scenario.customer(), { type: "Menu", restaurantId: id });
      if (!menu.ok) throw new Error(menu.error.message);
      const padThai = menu.value.document.categories.flatMap((c) => c.items).find((i) => i.id === "pad-thai");
      return { item: padThai?.available, hot: padThai?.optionGroups[0]?.options.find((o) => o.id === "hot")?.available };
    };

    const off = await switchHot(false);
    expect(off.ok && off.value).toEqual({ itemId: "pad-thai", available: true, portionsLeft: null, soldOut: false, unavailableOptions: ["hot"] });
    expect(await hotOnMenu()).toEqual({ item: true, hot: false });
    const refused = await place(["hot"]);
    expect(!refused.ok && refused.error).toMatchObject({ code: "MENU_OPTION_UNAVAILABLE", details: { itemId: "pad-thai", optionId: "hot" } });
    expect((await place(["mild"])).ok).toBe(true);

    await switchHot(true);
    expect(await hotOnMenu()).toEqual({ item: true, hot: true });
    expect((await place(["hot"])).ok).toBe(true);

    const unknown = await scenario.tiffin.send(scenario.staff(), { type: "SetMenuItemStock", restaurantId: id, itemId: "pad-thai", options: { ghost: false } });
    expect(!unknown.ok && unknown.error).toMatchObject({ code: "NOT_FOUND", details: { resource: "menu option" } });
    const stranger = await switchHot(false, { role: "restaurant", id: "s", restaurantId: "other" });
    expect(!stranger.ok && stranger.error.code).toBe("NOT_FOUND");
    expect(await hotOnMenu()).toEqual({ item: true, hot: true });
  });
});

describe("portions", () => {
  it("sells out at zero, shows it on the menu, and a cancelled order's portions can be bought again", async () => {
    scenario = await new Scenario({ kitchen: new ManualKitchen() }).start();
    const { id } = scenario.restaurant;
    const set = await scenario.tiffin.send(scenario.staff(), { type: "SetMenuItemStock", restaurantId: id, itemId: "pad-thai", portions: 2 });
    expect(set.ok && set.value).toEqual({ itemId: "pad-thai", available: true, portionsLeft: 2, soldOut: false, unavailableOptions: [] });
    const first = await scenario.placeOrder();
    const soldOut = await scenario.tiffin.send(scenario.customer(), { type: "PlaceOrder", idempotencyKey: "late", order: scenario.orderBody() });
    expect(!soldOut.ok && soldOut.error).toMatchObject({ code: "MENU_ITEM_SOLD_OUT", details: { line: 0, soldOutItemId: "pad-thai" } });
    const combo = { ...(scenario.orderBody() as object), items: [{ itemId: "lunch", quantity: 1 }] };
    const comboRefused = await scenario.tiffin.send(scenario.customer(), { type: "PlaceOrder", idempotencyKey: "combo", order: combo });
    expect(!comboRefused.ok && comboRefused.error.code).toBe("MENU_ITEM_SOLD_OUT");
    const menu = await scenario.tiffin.ask(scenario.customer(), { type: "Menu", restaurantId: id });
    const padThai = menu.ok ? menu.value.document.categories[0]?.items.find((i) => i.id === "pad-thai") : undefined;
    expect(padThai).toMatchObject({ available: false, soldOut: true });

    const cancelled = await scenario.tiffin.send(scenario.customer(), { type: "CancelOrder", orderId: first.id });
    expect(cancelled.ok).toBe(true);
    const again = await scenario.placeOrder();
    expect(again.status).toBe("placed");
  });
});

describe("couriers", () => {
  it("join with a vehicle that sets their speed, keep their shift on update, and admins list them", async () => {
    scenario = await new Scenario().start();
    const newcomer = { role: "courier" as const, id: "courier-new" };
    const profile = { name: "Dana", city: "hamburg", vehicle: "scooter", ratePerKm: { amount: 90, currency: "EUR" } };
    const joined = await scenario.tiffin.send(newcomer, { type: "JoinAsCourier", profile });
    expect(joined.ok && joined.value).toMatchObject({ id: "courier-new", speedKmh: 25, available: false, active: true });
    await scenario.tiffin.send(newcomer, { type: "SetCourierAvailability", available: true });
    const updated = await scenario.tiffin.send(newcomer, { type: "JoinAsCourier", profile: { ...profile, vehicle: "bicycle" } });
    expect(updated.ok && updated.value).toMatchObject({ speedKmh: 15, available: true });
    const badVehicle = await scenario.tiffin.send(newcomer, { type: "JoinAsCourier", profile: { ...profile, vehicle: "rocket" } });
    expect(!badVehicle.ok && badVehicle.error.code).toBe("VALIDATION_FAILED");

    const listed = await scenario.tiffin.ask(scenario.admin, { type: "Couriers", city: "hamburg" });
    expect(listed.ok && listed.value.items.map((c) => c.id)).toEqual(["courier-new"]);
    const byCourier = await scenario.tiffin.ask(newcomer, { type: "Couriers" });
    expect(!byCourier.ok && byCourier.error.code).toBe("FORBIDDEN");
  });

  it("deactivating a courier withdraws their open offer and offers the order to the next courier", async () => {
    scenario = await new Scenario({ couriers: 2 }).start();
    const order = await scenario.placeOrder();
    let holder = "";
    await scenario.advanceUntil("an offer is open", async () => {
      for (const index of [1, 2]) {
        const offers = await scenario.tiffin.ask(scenario.courier(index), { type: "CourierOffers" });
        if (offers.ok && offers.value.some((o) => o.orderId === order.id)) holder = `courier-${index}`;
      }
      return holder !== "";
    }, 10);
    const deactivated = await scenario.tiffin.send(scenario.admin, { type: "SetCourierActive", courierId: holder, active: false });
    expect(deactivated.ok && deactivated.value.active).toBe(false);
    const other = holder === "courier-1" ? 2 : 1;
    const offers = await scenario.tiffin.ask(scenario.courier(other), { type: "CourierOffers" });
    expect(offers.ok && offers.value.map((o) => o.orderId)).toEqual([order.id]);
    const theirs = await scenario.tiffin.ask({ role: "courier", id: holder }, { type: "CourierOffers" });
    expect(theirs.ok && theirs.value).toEqual([]);
  });
});
