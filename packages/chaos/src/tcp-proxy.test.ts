import { type Server, type Socket, connect, createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TcpProxy } from "./tcp-proxy.js";

/** An echo server standing in for the database: answers every chunk with the same bytes, counts its connections. */
let echo: Server;
let echoConnections = 0;
let proxy: TcpProxy;

beforeEach(async () => {
  echoConnections = 0;
  echo = createServer((socket) => {
    echoConnections += 1;
    socket.on("error", () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  proxy = await TcpProxy.start({ host: "127.0.0.1", port: (echo.address() as { port: number }).port });
});
afterEach(async () => {
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

/** A client through the proxy that collects what comes back and whether it was closed. */
async function client(): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(proxy.port, "127.0.0.1");
  socket.on("error", () => undefined);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, received: () => text, closed };
}

const until = async (what: string, probe: () => boolean): Promise<void> => {
  for (let i = 0; i < 500; i += 1) {
    if (probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
};

/** Lets the event loop run the sockets a while, so "nothing arrived" means nothing was sent, not "not yet read". */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

describe("TcpProxy", () => {
  it("forwards both directions and counts the bytes", async () => {
    const c = await client();
    c.socket.write("hello");
    await until("the echo", () => c.received() === "hello");
    expect(proxy.stats).toMatchObject({ accepted: 1, open: 1, cut: 0, bytes: 10 });
  });

  it("rewrites a connection string to go through it", () => {
    expect(proxy.rewrite("postgres://postgres@db.example:5432/chaos_x?application_name=a")).toBe(
      `postgres://postgres@127.0.0.1:${proxy.port}/chaos_x?application_name=a`,
    );
  });

  it("cuts every open connection, and accepts new ones afterwards", async () => {
    const [a, b] = [await client(), await client()];
    expect(proxy.cutAll()).toBe(2);
    await Promise.all([a.closed, b.closed]);
    const c = await client();
    c.socket.write("again");
    await until("the echo after the cut", () => c.received() === "again");
    expect(proxy.stats).toMatchObject({ accepted: 3, open: 1, cut: 2 });
  });

  it("black-holes traffic without an error, then delivers what was held once it heals", async () => {
    const c = await client();
    proxy.blackHole(60_000);
    expect(proxy.dark).toBe(true);
    c.socket.write("held");
    await settle();
    expect(c.received()).toBe("");
    proxy.heal();
    await until("the held echo", () => c.received() === "held");
    expect(c.socket.destroyed).toBe(false);
  });

  it("leaves a connection made during the hole unanswered until it heals", async () => {
    proxy.blackHole(60_000);
    const c = await client();
    c.socket.write("late");
    await settle();
    expect(echoConnections).toBe(0);
    expect(c.received()).toBe("");
    proxy.heal();
    await until("the echo of the waiting connection", () => c.received() === "late");
    expect(echoConnections).toBe(1);
  });

  it("heals by itself after the given time", async () => {
    const c = await client();
    proxy.blackHole(50);
    c.socket.write("later");
    await until("the hole to close by itself", () => c.received() === "later");
    expect(proxy.dark).toBe(false);
  });

  it("adds latency and keeps the order of chunks", async () => {
    proxy.latencyMs = 30;
    const c = await client();
    const parts = Array.from({ length: 20 }, (_, i) => `${i};`);
    for (const part of parts) c.socket.write(part);
    await until("every chunk back", () => c.received() === parts.join(""));
  });
});
