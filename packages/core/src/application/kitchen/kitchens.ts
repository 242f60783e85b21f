import { createHash } from "node:crypto";
import type { Order } from "../../domain/order.js";
import type { KitchenDecision, RestaurantGateway } from "../../ports/restaurant-gateway.js";

/** A kitchen whose staff decide through the API: every paid order waits on the restaurant board. */
export class ManualKitchen implements RestaurantGateway {
  requestConfirmation(_order: Order): Promise<KitchenDecision> {
    return Promise.resolve({ decision: "pending" });
  }
}

/** How an AutoKitchen behaves. */
export interface AutoKitchenOptions {
  /** Time from acceptance to `ready` (default 5 min). */
  readonly prepTimeMs?: number;
  /** Share of orders rejected, 0..1 (default 0). */
  readonly rejectionRate?: number;
}

/**
 * A kitchen that answers at once (demos, benchmarks, tests): accepts with a fixed prep time, or rejects a share of
 * orders. Whether an order is rejected is derived from its id, so asking twice, in any process, answers the same.
 */
export class AutoKitchen implements RestaurantGateway {
  private readonly prepTimeMs: number;
  private readonly rejectionRate: number;

  constructor(options: AutoKitchenOptions = {}) {
    this.prepTimeMs = options.prepTimeMs ?? 5 * 60_000;
    this.rejectionRate = options.rejectionRate ?? 0;
    if (!(this.prepTimeMs >= 0)) throw new RangeError(`prepTimeMs must be >= 0, got ${this.prepTimeMs}`);
    if (!(this.rejectionRate >= 0 && this.rejectionRate <= 1)) {
      throw new RangeError(`rejectionRate must be in 0..1, got ${this.rejectionRate}`);
    }
  }

  requestConfirmation(order: Order): Promise<KitchenDecision> {
    const draw = createHash("sha256").update(order.id).digest().readUInt32BE(0) / 2 ** 32;
    return Promise.resolve(
      draw < this.rejectionRate
        ? { decision: "rejected", reason: "the kitchen cannot take more orders" }
        : { decision: "accepted", readyInMs: this.prepTimeMs },
    );
  }
}
