import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TiffinProcess, waitFor } from "../testing/index.js";

const run = randomUUID().slice(0, 8);
const eur = (amount: number) => ({ amount, currency: "EUR" });

/** A restaurant in Lisbon, open around the clock on its own clock. */
const RESTAURANT = {
  name: "Tasca do Tiffin",
  cuisine: "portuguese",
  city: "lisbon",
  location: { lat: 38.7223, lng: -9.1393 },
  timeZone: "Europe/Lisbon",
  hours: Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ opens: "00:00", closes: "24:00" }]])),
  prepMinutes: 10,
};

const menu = (bacalhauPrice: number) => ({
  currency: "EUR",
  categories: [
    {
      id: "mains",
      name: "Pratos",
      items: [
        { id: "bacalhau", name: "Bacalhau à Brás", price: eur(bacalhauPrice), available: true, optionGroups: [] },
        {
          id: "bifana",
          name: "Bifana",
          price: eur(650),
          available: true,
          optionGroups: [{ id: "mustard", name: "Mustard", min: 0, max: 1, options: [{ id: "hot-mustard", name: "Hot", priceDelta: eur(50) }] }],
        },
      ],
    },
  ],
  combos: [],
});

let tiffin: TiffinProcess;
beforeAll(async () => {
  // TIFFIN_DEMO_DATA=false: an empty catalog, on a server database (own schema) as in embedded mode.
  tiffin = await TiffinProcess.start({ env: { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "300", TIFFIN_DEMO_DATA: "false" } });
});
afterAll(async () => {
  await tiffin?.dispose();
});

describe("catalog and onboarding over HTTP, from an empty database", () => {
  it("creates a restaurant and its menu, onboards a courier, and delivers an order whose lines a later menu never changes", async () => {
    const admin = await tiffin.token("admin", `ops-${run}`);
    expect((await tiffin.request("GET", "/v1/restaurants?lat=38.7223&lng=-9.1393")).json.items).toEqual([]);

    const created = await tiffin.request("POST", "/admin/restaurants", { token: admin, body: RESTAURANT });
    expect(created.status, created.body as string).toBe(201);
    expect(created.json).toMatchObject({ ...RESTAURANT, closedNow: false, open: true });
    const restaurantId = created.json.id as string;
    const staff = await tiffin.token("restaurant", `staff-${run}`, restaurantId);
    const otherStaff = await tiffin.token("restaurant", `staff-other-${run}`, `elsewhere-${run}`);

    const published = await tiffin.request("PUT", `/v1/restaurants/${restaurantId}/menu`, { token: staff, body: menu(1400) });
    expect(published.status, published.body as string).toBe(200);
    expect(published.json).toEqual({ version: 1 });
    expect((await tiffin.request("PUT", `/v1/restaurants/${restaurantId}/menu`, { token: otherStaff, body: menu(1) })).json.code).toBe("NOT_FOUND");
    const broken = { ...menu(1400), categories: [{ ...menu(1400).categories[0], items: [...menu(1400).categories[0]!.items, { id: "bacalhau", name: "Twice", price: eur(1), available: true, optionGroups: [] }] }] };
    const invalid = await tiffin.request("PUT", `/v1/restaurants/${restaurantId}/menu`, { token: staff, body: broken });
    expect([invalid.status, invalid.json.code, invalid.json.details]).toEqual([422, "MENU_INVALID", { kind: "item", id: "bacalhau" }]);
    expect(invalid.headers.get("content-type")).toMatch(/^application\/problem\+json/);

    const served = await tiffin.request("GET", `/v1/restaurants/${restaurantId}/menu`);
    expect(served.json).toMatchObject({ restaurantId, version: 1 });
    const etag = served.headers.get("etag") ?? "";
    expect((await tiffin.request("GET", `/v1/restaurants/${restaurantId}/menu`, { headers: { "if-none-match": etag } })).status).toBe(304);
    const found = await tiffin.request("GET", "/v1/restaurants?lat=38.72&lng=-9.14&q=bacal");
    expect(found.json.items.map((r: { id: string }) => r.id)).toEqual([restaurantId]);

    const courierId = `courier-${run}`;
    const courier = await tiffin.token("courier", courierId);
    const joined = await tiffin.request("PUT", "/v1/couriers/me", { token: courier, body: { name: "Rita", city: "lisbon", vehicle: "scooter", ratePerKm: eur(100) } });
    expect(joined.status, joined.body as string).toBe(200);
    expect(joined.json).toMatchObject({ id: courierId, vehicle: "scooter", speedKmh: 25, active: true, available: false });
    expect((await tiffin.request("PUT", "/v1/couriers/me/location", { token: courier, body: { lat: 38.7225, lng: -9.139 } })).status).toBe(200);
    expect((await tiffin.request("PUT", "/v1/couriers/me/availability", { token: courier, body: { available: true } })).status).toBe(200);
    const listed = await tiffin.request("GET", "/admin/couriers?city=lisbon&active=true", { token: admin });
    expect(listed.json.items.map((c: { id: string }) => c.id)).toEqual([courierId]);

    const customer = await tiffin.token("customer", `cust-${run}`);
    const order = { restaurantId, items: [{ itemId: "bacalhau", quantity: 2 }, { itemId: "bifana", quantity: 1, options: ["hot-mustard"] }], deliveryAddress: { lat: 38.725, lng: -9.15 } };
    const placed = await tiffin.request("POST", "/v1/orders", { token: customer, body: order, headers: { "idempotency-key": `order-${run}` } });
    expect(placed.status, placed.body as string).toBe(201);
    const orderId = placed.json.id as string;
    expect(placed.json).toMatchObject({ total: eur(2 * 1400 + 700), menuVersion: 1 });
    const linesAtPlacement = placed.json.lines;

    // A new menu version after placement: the placed order keeps its lines, total and version.
    const repriced = await tiffin.request("PUT", `/v1/restaurants/${restaurantId}/menu`, { token: staff, body: menu(9900) });
    expect(repriced.json).toEqual({ version: 2 });
    expect((await tiffin.request("GET", `/v1/restaurants/${restaurantId}/menu`, { headers: { "if-none-match": etag } })).status).toBe(200);

    const offer = await waitFor("an offer for the order", async () => {
      const offers = await tiffin.request("GET", "/v1/couriers/me/offers", { token: courier });
      return (offers.json.items as { id: string; orderId: string; token: number }[]).find((o) => o.orderId === orderId);
    });
    expect((await tiffin.request("POST", `/v1/offers/${offer.id}/accept`, { token: courier, body: { token: offer.token } })).status).toBe(200);
    await waitFor("the order to be ready", async () => {
      const view = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customer });
      return view.json.status === "ready" ? true : undefined;
    });
    expect((await tiffin.request("POST", `/v1/orders/${orderId}/picked-up`, { token: courier })).status).toBe(200);
    expect((await tiffin.request("POST", `/v1/orders/${orderId}/delivered`, { token: courier })).json.status).toBe("delivered");

    const view = await waitFor("the view to show the delivery", async () => {
      const answer = await tiffin.request("GET", `/v1/orders/${orderId}`, { token: customer });
      return answer.json.status === "delivered" ? answer.json : undefined;
    });
    expect(view).toMatchObject({ lines: linesAtPlacement, total: eur(2 * 1400 + 700), menuVersion: 1, courierId });
    const saga = await waitFor("the saga to complete", async () => {
      const answer = await tiffin.request("GET", `/admin/sagas/${orderId}`, { token: admin });
      return answer.json?.status === "completed" ? answer.json : undefined;
    });
    expect(saga.lastError).toBeNull();
  });

  it("sells out at zero with 409 MENU_ITEM_SOLD_OUT, pauses intake, and deactivates a courier", async () => {
    const admin = await tiffin.token("admin", `ops2-${run}`);
    const created = await tiffin.request("POST", "/admin/restaurants", { token: admin, body: { ...RESTAURANT, name: "Pastelaria" } });
    const restaurantId = created.json.id as string;
    const staff = await tiffin.token("restaurant", `staff2-${run}`, restaurantId);
    await tiffin.request("PUT", `/v1/restaurants/${restaurantId}/menu`, { token: staff, body: menu(1400) });
    const stocked = await tiffin.request("PATCH", `/v1/restaurants/${restaurantId}/menu/items/bacalhau`, { token: staff, body: { portions: 1 } });
    expect(stocked.json).toEqual({ itemId: "bacalhau", available: true, portionsLeft: 1, soldOut: false, unavailableOptions: [] });

    const order = { restaurantId, items: [{ itemId: "bacalhau", quantity: 1 }], deliveryAddress: { lat: 38.725, lng: -9.15 } };
    const place = async (who: string) =>
      tiffin.request("POST", "/v1/orders", { token: await tiffin.token("customer", `${who}-${run}`), body: order, headers: { "idempotency-key": `${who}-${run}` } });
    expect((await place("first")).status).toBe(201);
    const late = await place("late");
    expect([late.status, late.json.code]).toEqual([409, "MENU_ITEM_SOLD_OUT"]);
    const shown = await tiffin.request("GET", `/v1/restaurants/${restaurantId}/menu`);
    expect(shown.json.categories[0].items[0]).toMatchObject({ id: "bacalhau", available: false, soldOut: true });

    const mustard = `/v1/restaurants/${restaurantId}/menu/items/bifana/options/hot-mustard`;
    const mustardOff = await tiffin.request("PATCH", mustard, { token: staff, body: { available: false } });
    expect(mustardOff.json).toEqual({ itemId: "bifana", available: true, portionsLeft: null, soldOut: false, unavailableOptions: ["hot-mustard"] });
    const withMustard = { ...order, items: [{ itemId: "bifana", quantity: 1, options: ["hot-mustard"] }] };
    const spicy = await tiffin.request("POST", "/v1/orders", {
      token: await tiffin.token("customer", `spicy-${run}`),
      body: withMustard,
      headers: { "idempotency-key": `spicy-${run}` },
    });
    expect([spicy.status, spicy.json.code]).toEqual([422, "MENU_OPTION_UNAVAILABLE"]);
    const bifana = (await tiffin.request("GET", `/v1/restaurants/${restaurantId}/menu`)).json.categories[0].items[1];
    expect(bifana.optionGroups[0].options[0]).toMatchObject({ id: "hot-mustard", available: false });
    expect((await tiffin.request("PATCH", mustard, { token: await tiffin.token("restaurant", `s3-${run}`, `other-${run}`), body: { available: true } })).status).toBe(404);
    expect((await tiffin.request("PATCH", `${mustard}-x`, { token: staff, body: { available: true } })).json.code).toBe("NOT_FOUND");

    const paused = await tiffin.request("PATCH", `/v1/restaurants/${restaurantId}`, { token: staff, body: { closedNow: true } });
    expect(paused.json).toMatchObject({ closedNow: true, open: false });
    await tiffin.request("PATCH", `/v1/restaurants/${restaurantId}/menu/items/bacalhau`, { token: staff, body: { portions: null } });
    const closed = await place("closed");
    expect([closed.status, closed.json.code]).toEqual([422, "RESTAURANT_CLOSED"]);
    const strangerStaff = await tiffin.token("restaurant", `s-${run}`, `other-${run}`);
    expect((await tiffin.request("PATCH", `/v1/restaurants/${restaurantId}`, { token: strangerStaff, body: { closedNow: false } })).status).toBe(404);

    const courierId = `courier2-${run}`;
    await tiffin.request("PUT", "/v1/couriers/me", { token: await tiffin.token("courier", courierId), body: { name: "Zé", city: "porto", vehicle: "car", ratePerKm: eur(90) } });
    const off = await tiffin.request("PATCH", `/admin/couriers/${courierId}`, { token: admin, body: { active: false } });
    expect(off.json).toMatchObject({ id: courierId, active: false });
    expect((await tiffin.request("GET", "/admin/couriers?city=porto&active=false", { token: admin })).json.items).toHaveLength(1);
  });

  it("documents every catalog route in /openapi.json", async () => {
    const paths = (await tiffin.request("GET", "/openapi.json")).json.paths as Record<string, Record<string, unknown>>;
    const routes = Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        "POST /admin/restaurants",
        "PATCH /v1/restaurants/{id}",
        "PUT /v1/restaurants/{id}/menu",
        "GET /v1/restaurants/{id}/menu",
        "PATCH /v1/restaurants/{id}/menu/items/{itemId}",
        "PATCH /v1/restaurants/{id}/menu/items/{itemId}/options/{optionId}",
        "GET /v1/restaurants",
        "PUT /v1/couriers/me",
        "GET /admin/couriers",
        "PATCH /admin/couriers/{id}",
      ]),
    );
  });

  it("seeds the demo catalog with `tiffin seed --demo`, and a second run changes nothing", async () => {
    const first = tiffin.runCommand("seed", "--demo");
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/3 restaurants created, 3 menus published/);
    const again = tiffin.runCommand("seed", "--demo");
    expect(again.stdout).toMatch(/0 restaurants created, 0 menus published/);
    const menuOf = await tiffin.request("GET", "/v1/restaurants/r-curry-house/menu");
    expect(menuOf.json.version, menuOf.body as string).toBe(1);
    const nearby = await tiffin.request("GET", "/v1/restaurants?lat=52.52&lng=13.405&q=curry");
    expect(nearby.json.items.map((r: { id: string }) => r.id)).toEqual(["r-curry-house"]);
  });
});
