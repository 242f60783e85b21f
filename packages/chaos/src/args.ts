/** What `npm run chaos -- [scenario] [--name N ...]` asked for. */
export interface ChaosArgs {
  /** The one scenario to run; undefined runs them all. */
  readonly scenario?: string;
  /** Parameter overrides, e.g. `--orders 200` → { orders: 200 }. */
  readonly params: Readonly<Record<string, number>>;
  /** `--reduced`: each scenario at the reduced size CI runs. */
  readonly reduced: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): ChaosArgs {
  const params: Record<string, number> = {};
  let scenario: string | undefined;
  let reduced = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--reduced") {
      reduced = true;
    } else if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
      const raw = inline ?? argv[++i];
      const value = Number(raw);
      if (name === "" || raw === undefined || raw.trim() === "" || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, got ${raw ?? "nothing"}`);
      params[name] = value;
    } else if (scenario === undefined) {
      scenario = arg;
    } else {
      throw new UsageError(`one scenario at a time: got ${scenario} and ${arg}`);
    }
  }
  return { ...(scenario === undefined ? {} : { scenario }), params, reduced };
}
