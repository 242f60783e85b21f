import { type Server, type Socket, connect, createServer } from "node:net";
import { silentLogger } from "@tiffin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { Metrics } from "../telemetry/metrics.js";
import { Platform } from "./platform.js";

const url = process.env.TIFFIN_TEST_DATABASE_URL;

/** A TCP proxy in front of PostgreSQL that can go dark (cut every connection and refuse new ones), as an outage does. */
class OutageProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private readonly server: Server;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      if (this.down) return void client.destroy();
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  goDark(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.goDark();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe.skipIf(url === undefined)("readiness while PostgreSQL is unreachable (TIFFIN_TEST_DATABASE_URL)", () => {
  let proxy: OutageProxy;
  let platform: Platform;
  const schema = `t_ready_${Math.random().toString(36).slice(2, 10)}`;
  beforeAll(async () => {
    const target = new URL(url ?? "");
    proxy = new OutageProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    target.host = `127.0.0.1:${proxy.port}`;
    const config = loadConfig({ TIFFIN_DATABASE_URL: target.toString(), TIFFIN_DATABASE_SCHEMA: schema, TIFFIN_JWT_SECRET: "x".repeat(32) });
    platform = await Platform.create(config, { logger: silentLogger, metrics: new Metrics() });
    await platform.migrate();
  });
  afterAll(async () => {
    proxy.restore();
    await platform?.database?.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await platform?.close();
    await proxy?.close();
  });

  it("is false while the database does not answer and true again once it does, without a restart", async () => {
    expect(await platform.check()).toEqual({ database: "ok", broker: "ok" });
    proxy.goDark();
    const down = await platform.check();
    expect(down.database).not.toBe("ok");
    proxy.restore();
    expect(await platform.check()).toEqual({ database: "ok", broker: "ok" });
  });
});
