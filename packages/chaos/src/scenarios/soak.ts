import { readFile } from "node:fs/promises";
import { call } from "../http.js";
import { checkInvariants, openReader, settle } from "../invariants.js";
import { Api, sleep } from "../load/api.js";
import { startFleet } from "../load/couriers.js";
import { placeOrders } from "../load/customers.js";
import { platformEnv } from "../platform-env.js";
import type { ChaosProcess } from "../processes.js";
import type { InvariantResult, Scenario } from "../scenario.js";

/** One process's samples over the run. */
interface Series {
  readonly name: string;
  /** Resident set size, in bytes, from /proc/<pid>/status. */
  readonly rss: number[];
  /** Round trips of /health/live, in ms: the event loop's delay as a client feels it (the processes export no event-loop metric). */
  readonly live: number[];
}

const MB = 1024 * 1024;
const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
const quantile = (values: readonly number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;

async function rssOf(proc: ChaosProcess): Promise<number | null> {
  if (proc.pid === undefined) return null;
  const status = await readFile(`/proc/${proc.pid}/status`, "utf8").catch(() => "");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

/** Growth from the first quarter of the samples to the last (the first is warm-up: JIT, pools, caches). */
function growth(values: readonly number[]): number {
  const quarter = Math.max(1, Math.floor(values.length / 4));
  const early = mean(values.slice(0, quarter));
  return early === 0 ? 0 : (mean(values.slice(-quarter)) - early) / early;
}

/**
 * A steady order rate for N minutes against one `serve` and one `work`, with API couriers, while each process's
 * resident memory and /health/live round trip are sampled. Growth is reported as figures; only a generous leak check
 * (resident memory growing by more than `leakPercent` from the first quarter of the run to the last) is asserted.
 */
export const soak: Scenario = {
  name: "soak",
  summary: "a steady order rate for N minutes; resident memory and liveness round trips of serve and work sampled throughout",
  defaults: { minutes: 10, perSecond: 2, couriers: 12, sampleEveryMs: 5000, leakPercent: 100, prepMs: 2000, pollMs: 1000, settleWithinMs: 300_000 },
  async run(ctx) {
    const p = ctx.params;
    const env = platformEnv(p);
    const api = await ctx.start("serve", { env });
    const worker = await ctx.start("work", { env });
    const db = openReader(ctx.databaseUrl);
    try {
      const client = new Api(() => api.url);
      const fleet = await startFleet({ api: client, token: (id) => ctx.token("courier", id), couriers: p.couriers ?? 0, pollMs: p.pollMs ?? 1000 });
      const orders = Math.round((p.minutes ?? 1) * 60 * (p.perSecond ?? 1));
      const series: Series[] = [api, worker].map((proc) => ({ name: proc.name, rss: [], live: [] }));
      let placing = true;
      const sampling = (async () => {
        while (placing) {
          await Promise.all(
            [api, worker].map(async (proc, i) => {
              const s = series[i] as Series;
              const rss = await rssOf(proc);
              if (rss !== null) s.rss.push(rss);
              const began = performance.now();
              if ((await call(proc.url, "GET", "/health/live", { deadlineMs: 10_000 })).status === 200) s.live.push(performance.now() - began);
            }),
          );
          await sleep(p.sampleEveryMs ?? 5000);
        }
      })();
      const began = Date.now();
      const placed = await placeOrders({ api: client, token: (id) => ctx.token("customer", id), orders, perSecond: p.perSecond ?? 1, customers: 50, keyPrefix: "soak", withinMs: p.placeWithinMs ?? 300_000 });
      placing = false;
      await sampling;
      const placingMs = Date.now() - began;
      ctx.log(`placed ${placed.placed} orders in ${placingMs} ms; settling`);
      const settleMs = await settle(db, p.settleWithinMs ?? 300_000, ctx.log);
      const couriers = await fleet.stop();
      const leak = (p.leakPercent ?? 100) / 100;
      const grown = series.filter((s) => growth(s.rss) > leak);
      const figures: Record<string, string | number> = {};
      for (const s of series) {
        figures[`${s.name} resident MB (first → last sample, max)`] = `${((s.rss[0] ?? 0) / MB).toFixed(0)} → ${((s.rss.at(-1) ?? 0) / MB).toFixed(0)}, ${(Math.max(0, ...s.rss) / MB).toFixed(0)}`;
        figures[`${s.name} resident growth, first to last quarter`] = `${(growth(s.rss) * 100).toFixed(0)} %`;
        figures[`${s.name} /health/live ms (p50, p99, max)`] = `${quantile(s.live, 0.5).toFixed(1)}, ${quantile(s.live, 0.99).toFixed(1)}, ${Math.max(0, ...s.live).toFixed(1)}`;
      }
      figures["samples per process"] = series[0]?.rss.length ?? 0;
      figures["settled after placement (s)"] = Math.round(settleMs / 1000);
      figures["orders delivered by couriers"] = couriers.delivered;
      const invariants: InvariantResult[] = [
        {
          name: "every order placed at the steady rate",
          holds: placed.failed.length === 0 && placed.placed === orders,
          detail: `${placed.placed} of ${orders} placed over ${(placingMs / 60_000).toFixed(1)} min, ${placed.retries} retries`,
        },
        {
          name: `no runaway memory (resident growth from the first quarter to the last at most ${p.leakPercent} %)`,
          holds: grown.length === 0 && series.every((s) => s.rss.length > 1),
          detail: series.map((s) => `${s.name}: ${(growth(s.rss) * 100).toFixed(0)} % over ${s.rss.length} samples`).join("; "),
        },
        {
          name: "both processes up throughout, never restarted",
          holds: [api, worker].every((proc) => proc.running && proc.starts === 1),
          detail: `${series.map((s) => `${s.name}: ${s.live.length} liveness answers`).join("; ")}`,
        },
        ...(await checkInvariants(db)),
      ];
      return {
        load: `${placed.placed} orders at ${p.perSecond}/s for ${p.minutes} min, ${(p.couriers ?? 0) + 3} API couriers, 1 serve + 1 work`,
        faults: "none: time and volume",
        invariants,
        figures,
      };
    } finally {
      await db.end();
    }
  },
};
