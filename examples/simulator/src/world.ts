import { ApiError, TiffinApi } from "./api-client.js";
import type { LatLng, Restaurant } from "./api-types.js";
import type { SimulatorConfig } from "./config.js";
import type { Reporter } from "./reporter.js";
import type { Role, TokenMinter } from "./tokens.js";
import type { TrackedOrder } from "./tracked-order.js";

/** Waits `ms`, or less when `signal` aborts; never rejects. Resolves whether the wait ran its full length. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (full: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(full);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * What the simulated people share: the configuration, the API, the output, and the facts of the simulated city
 * that a real courier app would show a courier (where a restaurant is, where an order goes).
 */
export class World {
  readonly restaurants = new Map<string, Restaurant>();
  /** Delivery address per order id. The order view does not include it, so the city tells couriers. */
  readonly addresses = new Map<string, LatLng>();
  readonly orders: TrackedOrder[] = [];
  private placed = 0;

  constructor(
    readonly config: SimulatorConfig,
    private readonly minter: TokenMinter,
    readonly reporter: Reporter,
    readonly random: () => number,
    /** Aborted when the run's time is up: every loop ends. */
    readonly deadline: AbortSignal,
  ) {}

  /** An API client acting as `sub` with `role` (public routes: `null`). */
  async api(role: Role | null, sub = "", restaurantId?: string): Promise<TiffinApi> {
    return new TiffinApi(this.config.baseUrl, role === null ? null : await this.minter.token(role, sub, restaurantId));
  }

  /** How output names an order: its number in this run, or its id if another client placed it. */
  label(orderId: string): string {
    const order = this.orders.find((o) => o.id === orderId);
    return order === undefined ? `order ${orderId}` : `order #${order.number}`;
  }

  /** Takes the next order number, or null once every order of the run has been handed out. */
  nextOrderNumber(): number | null {
    if (this.placed >= this.config.orders || this.deadline.aborted) return null;
    this.placed += 1;
    return this.placed;
  }

  /** Runs one step of an agent's loop; an unexpected failure is reported (once per message) and the loop goes on. */
  async guard<T>(who: string, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (error) {
      if (this.deadline.aborted && !(error instanceof ApiError)) return undefined;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      this.reporter.warn(`${who}: ${(error as Error).message}${cause === undefined ? "" : ` (${cause})`}`);
      await sleep(this.config.pollMs * 3, this.deadline);
      return undefined;
    }
  }
}
