import { type Server, type Socket, connect, createServer } from "node:net";

/** Where the proxy forwards to (PostgreSQL, for the database-faults scenario). */
export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

/** What the proxy did so far, for a scenario's figures. */
export interface ProxyStats {
  /** Client connections accepted since start. */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  /** Connections destroyed by `cutAll`. */
  readonly cut: number;
  /** Bytes forwarded, both directions. */
  readonly bytes: number;
}

interface Held {
  readonly chunk: Buffer;
  readonly dueAt: number;
}

/** One client connection and its upstream, with the chunks held back while a black hole or latency delays them. */
class Link {
  upstream: Socket | null = null;
  /** Chunks waiting for the hole to close or their due time (latency), per direction, in arrival order. */
  readonly held: { toServer: Held[]; toClient: Held[] } = { toServer: [], toClient: [] };
  /** The timer that flushes the next chunk whose due time has not come yet. */
  timer: NodeJS.Timeout | null = null;

  constructor(readonly client: Socket) {}

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.client.destroy();
    this.upstream?.destroy();
  }
}

/**
 * A TCP proxy on 127.0.0.1 in front of one target, that can fail the way a network to a database fails:
 *
 * - `cutAll()`: every open connection is reset at once (a failover, a restart, a dropped NAT entry);
 * - `blackHole(ms)`: traffic stops in both directions without an error, and new connections get no answer, for
 *   `ms` (a partition). What was sent meanwhile is delivered once it heals, as TCP retransmission would, so only
 *   the time a peer waits tells an outage from a slow network; the peers' own timeouts decide what fails;
 * - `latencyMs`: every chunk is forwarded that much later, order kept per direction.
 *
 * Faults change only the proxy: the processes behind it keep their connection strings and pids.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  /** Links accepted while dark: connected upstream only when the hole closes. */
  private readonly waiting = new Set<Link>();
  private holeUntil = 0;
  private holeTimer: NodeJS.Timeout | null = null;
  private accepted = 0;
  private cut = 0;
  private bytes = 0;
  /** Added to every chunk in both directions; 0 forwards at once. */
  latencyMs = 0;

  private constructor(
    private readonly server: Server,
    readonly target: ProxyTarget,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 (on `port`, or a free one) and forwards every connection to `target`. */
  static async start(target: ProxyTarget, port = 0): Promise<TcpProxy> {
    let proxy: TcpProxy | null = null;
    const server = createServer((client) => proxy?.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address !== "object") throw new Error("the proxy has no address");
    proxy = new TcpProxy(server, target, address.port);
    return proxy;
  }

  /** A URL like `url` (a postgres:// connection string) that goes through this proxy instead. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = "127.0.0.1";
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get dark(): boolean {
    return Date.now() < this.holeUntil;
  }

  get stats(): ProxyStats {
    return { accepted: this.accepted, open: this.links.size, cut: this.cut, bytes: this.bytes };
  }

  /** Resets every open connection; new ones are accepted as before. Returns how many were cut. */
  cutAll(): number {
    const count = this.links.size;
    for (const link of this.links) link.destroy();
    this.cut += count;
    return count;
  }

  /** Stops all traffic for `ms` (extending a hole already open), then delivers what was held and connects the waiting. */
  blackHole(ms: number): void {
    this.holeUntil = Math.max(this.holeUntil, Date.now() + ms);
    if (this.holeTimer !== null) clearTimeout(this.holeTimer);
    this.holeTimer = setTimeout(() => this.heal(), this.holeUntil - Date.now());
  }

  /** Ends a black hole now. */
  heal(): void {
    if (this.holeTimer !== null) clearTimeout(this.holeTimer);
    this.holeTimer = null;
    this.holeUntil = 0;
    for (const link of this.waiting) this.connectUpstream(link);
    this.waiting.clear();
    for (const link of this.links) this.flush(link);
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    if (this.holeTimer !== null) clearTimeout(this.holeTimer);
    for (const link of this.links) link.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    const link = new Link(client);
    this.links.add(link);
    client.on("error", () => undefined);
    client.on("close", () => {
      link.upstream?.destroy();
      this.links.delete(link);
      this.waiting.delete(link);
    });
    client.on("data", (chunk: Buffer) => this.forward(link, "toServer", chunk));
    if (this.dark) this.waiting.add(link);
    else this.connectUpstream(link);
  }

  private connectUpstream(link: Link): void {
    if (link.client.destroyed) return;
    const upstream = connect(this.target.port, this.target.host);
    link.upstream = upstream;
    upstream.on("error", () => undefined);
    upstream.on("close", () => link.client.destroy());
    upstream.on("data", (chunk: Buffer) => this.forward(link, "toClient", chunk));
    upstream.on("connect", () => this.flush(link));
  }

  private forward(link: Link, direction: "toServer" | "toClient", chunk: Buffer): void {
    link.held[direction].push({ chunk, dueAt: Date.now() + this.latencyMs });
    this.flush(link);
  }

  /**
   * Writes what is held for `link` and due, in order, unless the hole is open or the upstream is not connected yet;
   * a chunk not due yet stops its direction (order is kept) and sets a timer for it.
   */
  private flush(link: Link): void {
    if (this.dark) return;
    const upstream = link.upstream;
    if (upstream === null || upstream.connecting) return;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [direction, target] of [["toServer", upstream], ["toClient", link.client]] as const) {
      const queue = link.held[direction];
      while (queue.length > 0) {
        const head = queue[0] as Held;
        if (head.dueAt > now) {
          next = Math.min(next, head.dueAt);
          break;
        }
        queue.shift();
        this.bytes += head.chunk.length;
        if (!target.destroyed) target.write(head.chunk);
      }
    }
    if (next !== Number.POSITIVE_INFINITY && link.timer === null) {
      link.timer = setTimeout(() => {
        link.timer = null;
        this.flush(link);
      }, next - now);
    }
  }
}
