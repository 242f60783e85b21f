import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TiffinProcess, waitFor } from "@tiffin/cli/testing";
import { WORKER_SUBSCRIPTIONS } from "@tiffin/core";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingProxy } from "./test-support/recording-proxy.js";

/** Calls that create or change topology; a production process must make none of them at start. */
const TOPOLOGY_ACTIONS = ["CreateTopic", "CreateQueue", "SetQueueAttributes", "Subscribe", "SetSubscriptionAttributes", "DeleteQueue", "Unsubscribe"];

let fauxqs: FauxqsServer;
let proxy: RecordingProxy;
let dataDir: string;
let env: Record<string, string>;
const schema = `e2e_topology_${Math.random().toString(36).slice(2, 10)}`;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  proxy = await RecordingProxy.start(fauxqs.port);
  dataDir = await mkdtemp(join(tmpdir(), "tiffin-topology-"));
  // The topic exists already, as infrastructure as code creates it; the deployment names it.
  const { topicArn } = fauxqs.createTopic("tiffin-order-events");
  env = {
    TIFFIN_BROKER: "aws",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: proxy.url,
    AWS_ACCESS_KEY_ID: "fauxqs",
    AWS_SECRET_ACCESS_KEY: "fauxqs",
    TIFFIN_SNS_TOPIC_ARN: topicArn,
    // As in production: an emulator endpoint would otherwise create the topology on first use.
    TIFFIN_CREATE_TOPOLOGY: "false",
    TIFFIN_KITCHEN: "auto",
    TIFFIN_KITCHEN_PREP_MS: "300",
  };
});
afterAll(async () => {
  await proxy?.close();
  await fauxqs?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe("tiffin topology, then tiffin work on an existing topic (TIFFIN_BROKER=aws)", () => {
  it("refuses to start the worker before the topology exists, naming what to run", async () => {
    await expect(TiffinProcess.start({ command: "work", dataDir, schema, env })).rejects.toThrow(/tiffin topology/);
    expect(proxy.take().filter((action) => TOPOLOGY_ACTIONS.includes(action))).toEqual([]);
  });

  it("creates every worker subscription's queues once, and the worker then starts without a topology call", async () => {
    const created = await TiffinProcess.run(["topology"], { dataDir, schema, env });
    expect(created.status, created.stderr).toBe(0);
    for (const { subscription } of WORKER_SUBSCRIPTIONS) expect(created.stdout).toContain(`${subscription}: ${env.TIFFIN_SNS_TOPIC_ARN}`);
    const topologyCalls = proxy.take();
    expect(topologyCalls).toContain("CreateQueue");
    expect(topologyCalls).toContain("Subscribe");
    expect(topologyCalls).not.toContain("CreateTopic");

    const worker = await TiffinProcess.start({ command: "work", dataDir, schema, env });
    try {
      const started = proxy.take();
      // It looked its queues up and is polling them, and created or changed nothing.
      expect(started).toContain("GetQueueUrl");
      expect(started).toContain("ReceiveMessage");
      expect(started.filter((action) => TOPOLOGY_ACTIONS.includes(action))).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  it("carries an order through the existing topology, still without a topology call", async () => {
    const tiffin = await TiffinProcess.start({ command: "start", dataDir, schema, env });
    try {
      const token = await tiffin.token("customer", "cust-topology");
      const placed = await tiffin.request("POST", "/v1/orders", {
        token,
        headers: { "idempotency-key": `topology-${schema}` },
        body: { restaurantId: "r-curry-house", items: [{ itemId: "butter-chicken", quantity: 1, options: ["hot", "naan"] }], deliveryAddress: { lat: 52.52, lng: 13.41, line1: "A 1" } },
      });
      expect(placed.status, placed.body as string).toBe(201);
      await waitFor("the order to be confirmed through SNS and SQS", async () => {
        const view = await tiffin.request("GET", `/v1/orders/${placed.json.id as string}`, { token });
        return view.json.status !== "placed" && view.json.paymentStatus !== "pending" ? true : undefined;
      });
      expect(proxy.take().filter((action) => TOPOLOGY_ACTIONS.includes(action))).toEqual([]);
    } finally {
      await tiffin.stop();
    }
  });
});
