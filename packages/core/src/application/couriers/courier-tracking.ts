import { isTerminal } from "../../domain/order.js";
import type { CourierPositions, LatestPosition } from "../../ports/courier-positions.js";
import type { OrderView } from "../../ports/read-models.js";

/**
 * Where an order's courier is, for the order's readers: the positions store's latest fix, read at most once per
 * `maxAgeMs` per courier however many streams and requests follow the order (concurrent reads share one lookup).
 * Times are this process's monotonic clock: freshness of a cache, not a business time.
 */
export class CourierTracking {
  private readonly recent = new Map<string, { readonly at: number; readonly value: Promise<LatestPosition | null> }>();

  constructor(
    private readonly positions: CourierPositions,
    private readonly maxAgeMs = 250,
    private readonly capacity = 10_000,
  ) {}

  /** The view with `courierPosition` set while a courier carries the order, and null before and after. */
  async track(view: OrderView, now = performance.now()): Promise<OrderView> {
    if (view.courierId === null || isTerminal(view.status)) return view.courierPosition === null ? view : { ...view, courierPosition: null };
    const latest = await this.latest(view.courierId, now);
    return { ...view, courierPosition: latest?.position ?? null };
  }

  private latest(courierId: string, now: number): Promise<LatestPosition | null> {
    const hit = this.recent.get(courierId);
    if (hit && now - hit.at < this.maxAgeMs) return hit.value;
    if (this.recent.size >= this.capacity) {
      for (const [id, entry] of this.recent) if (now - entry.at >= this.maxAgeMs) this.recent.delete(id);
      if (this.recent.size >= this.capacity) this.recent.clear();
    }
    const value = this.positions.latest(courierId);
    this.recent.set(courierId, { at: now, value });
    value.catch(() => this.recent.delete(courierId));
    return value;
  }

  /** Drops what this instance remembers of a courier (they just reported, here). */
  forget(courierId: string): void {
    this.recent.delete(courierId);
  }
}
