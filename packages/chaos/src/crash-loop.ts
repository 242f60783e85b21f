import { sleep } from "./load/api.js";
import type { ChaosProcess } from "./processes.js";

export interface CrashLoopPlan {
  /** The processes to crash, one at a time, picked at random. */
  readonly targets: readonly ChaosProcess[];
  /** Time between kills: uniformly between these two. */
  readonly everyMs: readonly [number, number];
  /** How long a killed process stays down before it is started again. */
  readonly downMs: number;
  /** At most this many kills; the loop then idles until stopped. */
  readonly maxKills: number;
  readonly log: (line: string) => void;
}

/**
 * SIGKILLs a random target every few seconds (counted from when it is ready again) and starts it again, until
 * stopped or `maxKills` is reached. A SIGKILL is a crash: no drain, no
 * release of leases or in-flight messages, connections cut mid-transaction. `stop()` waits for the last restart,
 * so every target runs again when it resolves, and gives the number of kills.
 */
export function startCrashLoop(plan: CrashLoopPlan): { stop(): Promise<number> } {
  let kills = 0;
  let running = true;
  let wake: () => void = () => {};
  const loop = (async () => {
    while (running && kills < plan.maxKills) {
      const [low, high] = plan.everyMs;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, low + Math.random() * (high - low));
      });
      if (!running) break;
      const target = plan.targets[Math.floor(Math.random() * plan.targets.length)];
      if (target === undefined) break;
      await target.kill();
      kills += 1;
      plan.log(`SIGKILL ${target.name} (${kills})`);
      await sleep(plan.downMs);
      await target.start();
    }
  })();
  return {
    stop: async () => {
      running = false;
      wake();
      await loop;
      return kills;
    },
  };
}
