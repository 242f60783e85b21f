import { randomUUID } from "node:crypto";
import { PgDatabase } from "@tiffin/adapters-postgres";
import { afterAll, describe, expect, it } from "vitest";
import { type HttpAnswer, TiffinProcess, waitFor } from "../testing/index.js";

/** Terminating connections needs a real PostgreSQL (CI sets it); PGlite has no connections to lose. */
const url = process.env.TIFFIN_TEST_DATABASE_URL;
const run = randomUUID().slice(0, 8);
const ORDER = { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.52, lng: 13.41 } };
const CLIENTS = 20;
const FAULT_ROUNDS = 6;
const FAULT_EVERY_MS = 500;

const processes: TiffinProcess[] = [];
let admin: PgDatabase | null = null;
afterAll(async () => {
  for (const proc of processes) await proc.dispose();
  await admin?.close();
});

/** What a managed Postgres failover, restart or maintenance does: every connection of these processes is terminated. */
async function terminateConnections(db: PgDatabase, schema: string): Promise<number> {
  const rows = await db.query<{ pid: number }>(
    "SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE application_name IN ($1, $2) AND pid <> pg_backend_pid()",
    [`tiffin:${schema}`, `tiffin-listen:${schema}`],
  );
  return rows.length;
}

describe("tiffin serve + tiffin work when the database drops every connection", () => {
  it.skipIf(url === undefined)("survive repeated terminations under load: 201 or 503, nothing lost, nothing charged twice", async () => {
    const schema = `e2e_failover_${run}`;
    const env = { TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "600000", TIFFIN_LOG_LEVEL: "error" };
    const api = await TiffinProcess.start({ command: "serve", schema, env });
    const worker = await TiffinProcess.start({ command: "work", schema, env });
    processes.push(api, worker);
    admin = new PgDatabase({ connectionString: url ?? "", maxConnections: 1 });
    const customer = await api.token("customer", `cust-failover-${run}`);

    const answers: HttpAnswer[] = [];
    const placed: string[] = [];
    let loading = true;
    // Each client places orders back to back; a 503 is retried with the same Idempotency-Key, as a client should.
    const client = async (n: number): Promise<void> => {
      for (let i = 0; loading; i += 1) {
        const key = `failover-${run}-${n}-${i}`;
        for (let attempt = 0; attempt < 50; attempt += 1) {
          const answer = await api
            .request("POST", "/v1/orders", { token: customer, body: ORDER, headers: { "idempotency-key": key } })
            .catch((error: unknown) => ({ status: 0, json: { code: String(error) } }) as HttpAnswer);
          answers.push(answer);
          if (answer.status === 0) return;
          if (answer.status === 201) {
            placed.push(answer.json.id as string);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    let terminated = 0;
    for (let round = 0; round < FAULT_ROUNDS; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, FAULT_EVERY_MS));
      terminated += await terminateConnections(admin, schema);
    }
    loading = false;
    await load;

    expect(api.child.exitCode, api.logs).toBeNull();
    expect(worker.child.exitCode, worker.logs).toBeNull();
    expect(terminated).toBeGreaterThan(FAULT_ROUNDS);
    const failures = answers.filter((a) => a.status !== 201);
    expect(failures.map((a) => `${a.status} ${a.json?.code}`).filter((s) => s !== "503 SERVICE_UNAVAILABLE")).toEqual([]);
    expect(new Set(placed).size).toBe(placed.length);

    const adminToken = await api.token("admin", "ops");
    for (const id of placed) {
      await waitFor(`order ${id} to be paid and confirmed`, async () => {
        const view = await api.request("GET", `/v1/orders/${id}`, { token: customer });
        return view.json.paymentStatus === "captured" && view.json.status === "preparing" ? true : undefined;
      }, 120_000);
      const ledger = await api.request("GET", `/admin/payments/${id}`, { token: adminToken });
      expect((ledger.json.items as { kind: string }[]).map((e) => e.kind)).toEqual(["charge"]);
    }
    for (const proc of [api, worker]) expect((await proc.request("GET", "/health/ready")).status).toBe(200);
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(await api.stop("SIGTERM")).toBe(0);
    // A step cut between the provider's answer and its commit waits for the recovery sweep (stalled after 60 s).
  }, 240_000);
});
