import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TiffinProcess, waitFor } from "../testing/index.js";

/** Makes ids unique per run, so a reused Postgres database (CI) never replays an earlier run's keys. */
const run = randomUUID().slice(0, 8);

const ORDER = {
  restaurantId: "r-sushi-ko",
  items: [{ itemId: "veggie-roll", quantity: 1 }],
  deliveryAddress: { lat: 52.53, lng: 13.4 },
};

let tiffin: TiffinProcess | undefined;
afterAll(async () => {
  await tiffin?.dispose();
});

describe("shutdown", () => {
  it("exits 0 on SIGTERM with orders in flight, and after a restart every order is charged exactly once", async () => {
    const env = { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "60000" };
    tiffin = await TiffinProcess.start({ env });
    const token = await tiffin.token("customer", `cust-shutdown-${run}`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const placed = await tiffin.request("POST", "/v1/orders", { token, body: ORDER, headers: { "idempotency-key": `sd-${run}-${i}` } });
      expect(placed.status).toBe(201);
      ids.push(placed.json.id as string);
    }
    expect(await tiffin.stop("SIGTERM")).toBe(0);

    const previous = tiffin;
    tiffin = await TiffinProcess.start({ env, dataDir: previous.dataDir, ...(previous.schema === undefined ? {} : { schema: previous.schema }) });
    const customer = await tiffin.token("customer", `cust-shutdown-${run}`);
    const admin = await tiffin.token("admin", "ops");
    for (const id of ids) {
      await waitFor(`order ${id} to be paid and confirmed`, async () => {
        const view = await tiffin?.request("GET", `/v1/orders/${id}`, { token: customer });
        return view?.json.paymentStatus === "captured" && view.json.status !== "placed" ? true : undefined;
      });
      const ledger = await tiffin.request("GET", `/admin/payments/${id}`, { token: admin });
      expect((ledger.json.items as { kind: string }[]).filter((e) => e.kind === "charge")).toHaveLength(1);
    }
    expect(await tiffin.stop("SIGTERM")).toBe(0);
  });

  it("recovers after kill -9: every accepted order is still there and charged exactly once", async () => {
    const env = { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "60000" };
    await tiffin?.dispose();
    tiffin = await TiffinProcess.start({ env });
    const token = await tiffin.token("customer", `cust-kill-${run}`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const placed = await tiffin.request("POST", "/v1/orders", { token, body: ORDER, headers: { "idempotency-key": `kill-${run}-${i}` } });
      expect(placed.status).toBe(201);
      ids.push(placed.json.id as string);
    }
    await tiffin.stop("SIGKILL");

    const previous = tiffin;
    tiffin = await TiffinProcess.start({ env, dataDir: previous.dataDir, ...(previous.schema === undefined ? {} : { schema: previous.schema }) });
    const customer = await tiffin.token("customer", `cust-kill-${run}`);
    const admin = await tiffin.token("admin", "ops");
    for (const id of ids) {
      await waitFor(`order ${id} to be paid and confirmed after the crash`, async () => {
        const view = await tiffin?.request("GET", `/v1/orders/${id}`, { token: customer });
        return view?.json.paymentStatus === "captured" && view.json.status !== "placed" ? true : undefined;
      }, 90_000);
      const ledger = await tiffin.request("GET", `/admin/payments/${id}`, { token: admin });
      expect((ledger.json.items as { kind: string }[]).filter((e) => e.kind === "charge")).toHaveLength(1);
    }
  });
});
