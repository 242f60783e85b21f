import type { ChaosProcess, ProcessCommand } from "./processes.js";

/** One invariant as checked at the end of a scenario, from the outside (HTTP, the provider ledger, SQL reads). */
export interface InvariantResult {
  readonly name: string;
  readonly holds: boolean;
  /** The counts behind the verdict, e.g. "1,204 orders, 0 not terminal"; on a failure, the offending ids. */
  readonly detail: string;
}

/** What a scenario ran and found: printed, and written as a row of docs/RELIABILITY.md after a full run. */
export interface ScenarioReport {
  /** The load it put on the platform, with the figures of this run (e.g. "2,000 orders at 20/s, 40 couriers"). */
  readonly load: string;
  /** The faults it injected, with how many times (e.g. "34 SIGKILLs of a worker, 3–6 s apart"). */
  readonly faults: string;
  readonly invariants: readonly InvariantResult[];
  /** Further measured figures worth a line (durations, rates, retries). */
  readonly figures?: Readonly<Record<string, string | number>>;
}

/** Options for a process a scenario starts: extra environment (fault settings, kitchen mode, timeouts). */
export interface ProcessOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** A name for logs and reports; defaults to the command and a counter ("work-2"). */
  readonly name?: string;
}

/** What the runner gives a scenario. */
export interface ScenarioContext {
  /** The scenario's defaults overridden by the command line (`--orders 200`). */
  readonly params: Readonly<Record<string, number>>;
  /**
   * A database created for this scenario alone, migrated, and dropped by the runner afterwards (also when the
   * scenario throws). Connect as the owner role for SQL reads (the invariants do).
   */
  readonly databaseUrl: string;
  /** A progress line on stderr, prefixed with the scenario's name. */
  log(line: string): void;
  /**
   * Starts `tiffin serve` or `tiffin work` on the scenario's database (a free port, loopback, a shared JWT secret)
   * and waits until it is ready. The runner stops whatever is still running when the scenario ends.
   */
  start(command: ProcessCommand, options?: ProcessOptions): Promise<ChaosProcess>;
  /** A JWT for a principal, signed with the secret every process of the scenario verifies. */
  token(role: "customer" | "restaurant" | "courier" | "admin", sub: string, restaurantId?: string): Promise<string>;
}

export interface Scenario {
  /** The name on the command line (`npm run chaos -- worker-crashes`), kebab-case. */
  readonly name: string;
  /** One sentence for the table: what it does to the platform. */
  readonly summary: string;
  /** Full-size parameters (counts, rates, durations); any of them can be overridden as `--<name> N`. */
  readonly defaults: Readonly<Record<string, number>>;
  /** The reduced size CI runs (merged over `defaults`): a regression fails the build in a few minutes. */
  readonly reduced?: Readonly<Record<string, number>>;
  run(ctx: ScenarioContext): Promise<ScenarioReport>;
}
