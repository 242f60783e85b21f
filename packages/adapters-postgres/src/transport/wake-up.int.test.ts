import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../sql/database.js";
import { TEST_DATABASE_URL, dropTestDatabase, openTestDatabase } from "../test-support/test-database.js";
import { PostgresPublisher } from "./publisher.js";
import { PostgresSubscriber } from "./subscriber.js";

describe.skipIf(!TEST_DATABASE_URL)("transport wake-ups on a real server (TIFFIN_TEST_DATABASE_URL)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("pg");
  });
  afterAll(async () => {
    if (db) await dropTestDatabase(db);
  });

  it("delivers on NOTIFY, and listens again after the listening connection is killed", async () => {
    // A poll far longer than the test: only a notification can deliver in time.
    const subscriber = new PostgresSubscriber(db, { pollIntervalMs: 600_000 });
    const publisher = new PostgresPublisher(db);
    const spec = { topic: uniqueName("t"), subscription: uniqueName("s") };
    const seen: string[] = [];
    await subscriber.subscribe(spec, async (message) => void seen.push(message.id));
    const first = testEvent();
    await publisher.publish(spec.topic, [first]);
    await waitFor(() => seen.length === 1, { what: "delivery on NOTIFY" });

    const killed = await db.query<{ killed: boolean }>(
      "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1",
      [`tiffin-listen:${db.schema}`],
    );
    expect(killed.map((r) => r.killed)).toEqual([true]);
    const relistened = async (): Promise<boolean> =>
      (await db.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE 'LISTEN%'", [`tiffin-listen:${db.schema}`])).length === 1;
    await waitFor(relistened, { timeoutMs: 10_000, what: "a new listening connection" });
    const second = testEvent();
    await publisher.publish(spec.topic, [second]);
    await waitFor(() => seen.length === 2, { what: "delivery on NOTIFY after the reconnect" });
    expect(seen).toEqual([first.id, second.id]);
    await subscriber.close();
  });
});
