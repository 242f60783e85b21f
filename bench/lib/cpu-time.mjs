// Where the CPU of a measured run went: the whole machine's busy time (/proc/stat) and single processes'
// (/proc/<pid>/stat), so a bench can say how many CPU milliseconds one request costs and which process spent them.
// Linux only; elsewhere every reading is NaN and the bench prints "n/a".
import { readFileSync } from "node:fs";

/** Kernel clock ticks per second (USER_HZ), 100 on every Linux this runs on. */
const TICKS = 100;

const read = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
};

/** Busy CPU seconds of the whole machine since boot: every state of /proc/stat's `cpu` line but idle and iowait. */
export function machineBusySeconds() {
  const line = read("/proc/stat")?.split("\n")[0];
  if (line === undefined) return Number.NaN;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + (steal || 0)) / TICKS;
}

/** CPU seconds (user + system) a process has used, NaN when it is gone. */
export function processCpuSeconds(pid) {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return Number.NaN;
  // The command name may hold spaces and parentheses; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** This process's own CPU seconds (the load generator, when it runs in the bench). */
export const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Starts a reading; `stop(count)` gives CPU milliseconds per unit of work (`count` requests or transactions) for the
 * whole machine and for each named process: `{ machine, [name]: ms, rest }`, `rest` being the machine less the named.
 */
export function cpuMeter(processes = {}) {
  const sample = () => ({
    machine: machineBusySeconds(),
    ...Object.fromEntries(Object.entries(processes).map(([name, read]) => [name, read()])),
  });
  const before = sample();
  return {
    stop(count) {
      const after = sample();
      const per = (name) => ((after[name] - before[name]) * 1000) / count;
      const result = { machine: per("machine") };
      for (const name of Object.keys(processes)) result[name] = per(name);
      result.rest = result.machine - Object.keys(processes).reduce((sum, name) => sum + result[name], 0);
      return result;
    },
  };
}

/** "1.23 ms" or "n/a". */
export const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : "n/a");
