import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TiffinProcess, waitFor } from "../testing/index.js";

/** Separate API and worker processes need a database they can share: a real PostgreSQL (CI sets it). */
const sharedDatabase = process.env.TIFFIN_TEST_DATABASE_URL !== undefined;
const run = randomUUID().slice(0, 8);
const ORDER = { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.52, lng: 13.41 } };

const processes: TiffinProcess[] = [];
afterAll(async () => {
  for (const proc of processes) await proc.dispose();
});

describe("tiffin serve + tiffin work as separate processes", () => {
  it.skipIf(!sharedDatabase)("share the work across workers, and survive kill -9 of one without charging twice", async () => {
    const schema = `e2e_split_${run}`;
    const env = { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "60000" };
    const api = await TiffinProcess.start({ command: "serve", schema, env });
    const workerA = await TiffinProcess.start({ command: "work", schema, env });
    const workerB = await TiffinProcess.start({ command: "work", schema, env });
    processes.push(api, workerA, workerB);

    const customer = await api.token("customer", `cust-split-${run}`);
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const placed = await api.request("POST", "/v1/orders", { token: customer, body: ORDER, headers: { "idempotency-key": `split-${run}-${i}` } });
      expect(placed.status).toBe(201);
      ids.push(placed.json.id as string);
      if (i === 2) await workerA.stop("SIGKILL");
    }

    const admin = await api.token("admin", "ops");
    for (const id of ids) {
      await waitFor(`order ${id} to be paid and confirmed`, async () => {
        const view = await api.request("GET", `/v1/orders/${id}`, { token: customer });
        return view.json.paymentStatus === "captured" && view.json.status !== "placed" ? true : undefined;
      }, 90_000);
      const ledger = await api.request("GET", `/admin/payments/${id}`, { token: admin });
      expect((ledger.json.items as { kind: string }[]).filter((e) => e.kind === "charge")).toHaveLength(1);
    }
    expect(await workerB.stop("SIGTERM")).toBe(0);
    expect(await api.stop("SIGTERM")).toBe(0);
  });
});
