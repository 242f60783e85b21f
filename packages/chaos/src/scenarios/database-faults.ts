import { call } from "../http.js";
import { checkInvariants, courierLoadInvariant, openReader, sampleCourierLoad, settle } from "../invariants.js";
import { Api, sleep } from "../load/api.js";
import { startFleet } from "../load/couriers.js";
import { placeOrders } from "../load/customers.js";
import { platformEnv } from "../platform-env.js";
import type { ChaosProcess } from "../processes.js";
import type { InvariantResult, Scenario } from "../scenario.js";
import { TcpProxy } from "../tcp-proxy.js";

/** How often readiness is asked during and after an outage. */
const PROBE_EVERY_MS = 250;

/** What one black hole did to readiness, per process. */
interface OutageSeen {
  readonly process: string;
  /** /health/ready answers other than 200 while the database was unreachable. */
  readonly notReady: number;
  readonly probes: number;
  /** From the heal to the first 200 again; null when it never came within the bound. */
  readonly readyAfterMs: number | null;
}

/**
 * `tiffin serve` and `tiffin work` reach PostgreSQL only through a TCP proxy that, while orders are placed and
 * delivered, cuts every connection, black-holes all traffic for a while, and adds latency, in rounds. Readiness must
 * go false during each black hole and true after it, the processes must come through without a restart, and nothing
 * may be lost or done twice.
 */
export const databaseFaults: Scenario = {
  name: "database-faults",
  summary: "serve and work reach PostgreSQL through a TCP proxy that cuts every connection, black-holes traffic and adds latency while orders flow",
  defaults: { orders: 600, perSecond: 5, couriers: 20, rounds: 4, roundMs: 15_000, blackHoleMs: 6_000, latencyMs: 50, readyWithinMs: 60_000, prepMs: 2000, pollMs: 1000, settleWithinMs: 300_000 },
  reduced: { orders: 60, perSecond: 3, couriers: 8, rounds: 1, roundMs: 12_000, blackHoleMs: 5_000 },
  async run(ctx) {
    const p = ctx.params;
    const database = new URL(ctx.databaseUrl);
    const proxy = await TcpProxy.start({ host: database.hostname, port: Number(database.port || 5432) });
    const db = openReader(ctx.databaseUrl);
    try {
      const env = { ...platformEnv(p), TIFFIN_DATABASE_URL: proxy.rewrite(ctx.databaseUrl) };
      const api = await ctx.start("serve", { env });
      const worker = await ctx.start("work", { env });
      const processes = [api, worker];
      const client = new Api(() => api.url);
      const fleet = await startFleet({ api: client, token: (id) => ctx.token("courier", id), couriers: p.couriers ?? 0, pollMs: p.pollMs ?? 1000 });
      const load = sampleCourierLoad(db, 1);
      const began = Date.now();
      const placing = placeOrders({ api: client, token: (id) => ctx.token("customer", id), orders: p.orders ?? 0, perSecond: p.perSecond ?? 1, customers: 50, keyPrefix: "dbf", withinMs: p.placeWithinMs ?? 300_000 });

      const outages: OutageSeen[] = [];
      let cut = 0;
      const rounds = p.rounds ?? 1;
      const roundMs = p.roundMs ?? 15_000;
      for (let round = 0; round < rounds; round += 1) {
        // Each round: cut every connection, run a third of the round slow, then a black hole, then normal traffic.
        cut += proxy.cutAll();
        ctx.log(`round ${round + 1}: cut ${cut} connections so far; ${p.latencyMs} ms latency`);
        proxy.latencyMs = p.latencyMs ?? 0;
        await sleep(roundMs / 3);
        proxy.latencyMs = 0;
        ctx.log(`round ${round + 1}: black hole for ${p.blackHoleMs} ms`);
        outages.push(...(await blackHole(proxy, processes, p.blackHoleMs ?? 5000, p.readyWithinMs ?? 60_000)));
        await sleep(roundMs / 3);
      }
      const placed = await placing;
      const placingMs = Date.now() - began;
      ctx.log(`placed ${placed.placed} orders in ${placingMs} ms; settling`);
      const settleMs = await settle(db, p.settleWithinMs ?? 300_000, ctx.log);
      const couriers = await fleet.stop();
      const sampled = await load.stop();
      const slowest = Math.max(0, ...outages.map((o) => o.readyAfterMs ?? Number.POSITIVE_INFINITY));
      const invariants: InvariantResult[] = [
        {
          name: "every order placed (503s retried with the same key)",
          holds: placed.failed.length === 0 && placed.placed === p.orders,
          detail: `${placed.placed} of ${p.orders} placed, ${placed.retries} retries${placed.failed.length === 0 ? "" : `; refused: ${placed.failed.slice(0, 3).join(", ")}`}`,
        },
        readinessInvariant(outages),
        sameProcesses(processes),
        ...(await checkInvariants(db)),
        courierLoadInvariant(sampled, 1),
      ];
      return {
        load: `${placed.placed} orders at ${p.perSecond}/s over ${(placingMs / 1000).toFixed(0)} s, ${(p.couriers ?? 0) + 3} API couriers, 1 serve + 1 work behind the proxy`,
        faults: `${rounds} rounds of: every connection cut (${cut} in all), ${p.latencyMs} ms added latency for ${Math.round(roundMs / 3000)} s, a ${(p.blackHoleMs ?? 0) / 1000} s black hole`,
        invariants,
        figures: {
          "connections cut": cut,
          "connections through the proxy": proxy.stats.accepted,
          "ready again after a black hole, slowest (s)": Number.isFinite(slowest) ? (slowest / 1000).toFixed(1) : "never",
          "placement retries": placed.retries,
          "settled after placement (s)": Math.round(settleMs / 1000),
          "orders delivered by couriers": couriers.delivered,
        },
      };
    } finally {
      await db.end();
      await proxy.close();
    }
  },
};

/** Opens a black hole for `ms`, probing every process's readiness during it and until each is ready again. */
async function blackHole(proxy: TcpProxy, processes: readonly ChaosProcess[], ms: number, readyWithinMs: number): Promise<OutageSeen[]> {
  proxy.blackHole(ms);
  return Promise.all(
    processes.map(async (proc) => {
      let notReady = 0;
      let probes = 0;
      while (proxy.dark) {
        const answer = await call(proc.url, "GET", "/health/ready", { deadlineMs: 5_000 });
        // Only answers that came back while the hole was still open count as seen during the outage.
        if (proxy.dark) {
          probes += 1;
          if (answer.status !== 200) notReady += 1;
        }
        await sleep(PROBE_EVERY_MS);
      }
      const healed = Date.now();
      let readyAfterMs: number | null = null;
      while (Date.now() - healed < readyWithinMs) {
        if ((await call(proc.url, "GET", "/health/ready", { deadlineMs: 5_000 })).status === 200) {
          readyAfterMs = Date.now() - healed;
          break;
        }
        await sleep(PROBE_EVERY_MS);
      }
      return { process: proc.name, notReady, probes, readyAfterMs };
    }),
  );
}

function readinessInvariant(outages: readonly OutageSeen[]): InvariantResult {
  const bad = outages.filter((o) => o.notReady === 0 || o.readyAfterMs === null);
  const line = outages.map((o) => `${o.process}: ${o.notReady}/${o.probes} not ready, ready ${o.readyAfterMs === null ? "never" : `${(o.readyAfterMs / 1000).toFixed(1)} s`} after`).join("; ");
  return { name: "readiness false during every black hole, true after it", holds: outages.length > 0 && bad.length === 0, detail: `${outages.length} process outages: ${line}` };
}

function sameProcesses(processes: readonly ChaosProcess[]): InvariantResult {
  const restarted = processes.filter((proc) => !proc.running || proc.starts !== 1);
  return {
    name: "every process came through without a restart",
    holds: restarted.length === 0,
    detail: `${processes.length} processes, ${restarted.length} exited or restarted${restarted.length === 0 ? "" : `: ${restarted.map((proc) => proc.name).join(", ")}`}`,
  };
}
