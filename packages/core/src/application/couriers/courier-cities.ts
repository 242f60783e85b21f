import type { Principal } from "../../ports/principal.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";

/**
 * Each courier's city, the key their positions are sharded by, remembered for `ttlMs` so a location report
 * costs no database read. A courier who joins or changes city through this instance is forgotten at once; other
 * instances follow within `ttlMs` (until then their reports still land under the old city).
 */
export class CourierCities {
  private readonly entries = new Map<string, { readonly city: string; readonly until: number }>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly ttlMs = 60_000,
    private readonly capacity = 100_000,
  ) {}

  /** The courier's city as the courier sees their profile, or null when they have not joined. */
  async of(principal: Principal, now: number): Promise<string | null> {
    const cached = this.entries.get(principal.id);
    if (cached && cached.until > now) return cached.city;
    const courier = await this.uow.run(principal, (tx) => tx.couriers.get(principal.id));
    if (courier === null) return null;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(principal.id, { city: courier.city, until: now + this.ttlMs });
    return courier.city;
  }

  forget(courierId: string): void {
    this.entries.delete(courierId);
  }
}
