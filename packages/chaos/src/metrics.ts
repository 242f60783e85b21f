/** One sample of a Prometheus counter: its labels and value. */
export interface CounterSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * The samples of one counter in a process's `GET /metrics` (Prometheus text), read from the outside as an operator's
 * scraper would. An unreachable process or an absent counter gives no samples.
 */
export async function counterSamples(url: string, name: string): Promise<CounterSample[]> {
  const answer = await fetch(`${url}/metrics`).catch(() => null);
  if (answer === null || !answer.ok) return [];
  return parseCounter(await answer.text(), name);
}

/** The samples of `name` in Prometheus text exposition (`name{a="x",b="y"} 3`). */
export function parseCounter(text: string, name: string): CounterSample[] {
  const samples: CounterSample[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || (line[name.length] !== "{" && line[name.length] !== " ")) continue;
    const match = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[1] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key as string] = value as string;
    samples.push({ labels, value: Number(match[2]) });
  }
  return samples;
}

/** The sum of the samples whose labels include every pair of `where`. */
export const total = (samples: readonly CounterSample[], where: Readonly<Record<string, string>> = {}): number =>
  samples.filter((s) => Object.entries(where).every(([key, value]) => s.labels[key] === value)).reduce((sum, s) => sum + s.value, 0);
