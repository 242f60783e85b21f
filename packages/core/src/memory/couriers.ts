import type { CourierCandidate } from "../domain/courier.js";
import { type LatLng, distanceKm } from "../domain/geo.js";
import { isTerminal } from "../domain/order.js";
import type { NearPosition, NearestSearch } from "../ports/courier-positions.js";
import type { Courier, CourierDirectory, CourierFilter, CourierLocator, PositionWrite } from "../ports/couriers.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { canSeeCourier, checkWrite, isPrivileged } from "./visibility.js";

/** Courier profiles in memory: a courier sees and changes their own; admin and system all. */
export class InMemoryCourierDirectory implements CourierDirectory {
  constructor(private readonly ctx: StoreContext) {}

  async get(courierId: string): Promise<Courier | null> {
    const courier = this.visible(courierId);
    return courier ? copy(courier) : null;
  }

  async upsert(courier: Courier): Promise<void> {
    checkWrite(canSeeCourier(this.ctx.principal, courier), "couriers", this.ctx.principal);
    this.ctx.txn.write("couriers").set(courier.id, copy(courier));
  }

  async list(filter: CourierFilter): Promise<Courier[]> {
    return [...this.ctx.txn.read("couriers").values()]
      .filter((c) => canSeeCourier(this.ctx.principal, c))
      .filter((c) => (filter.city === undefined || c.city === filter.city) && (filter.active === undefined || c.active === filter.active))
      .filter((c) => filter.after === undefined || c.id > filter.after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, filter.limit)
      .map(copy);
  }

  async setActive(courierId: string, active: boolean): Promise<boolean> {
    checkWrite(isPrivileged(this.ctx.principal), "couriers", this.ctx.principal);
    return this.patch(courierId, { active });
  }

  async setAvailability(courierId: string, available: boolean): Promise<boolean> {
    return this.patch(courierId, { available });
  }

  async setPosition(courierId: string, position: LatLng, at: string): Promise<PositionWrite> {
    const courier = this.visible(courierId);
    if (!courier) return "unknown";
    if (courier.positionAt !== null && Date.parse(courier.positionAt) > Date.parse(at)) return "stale";
    this.patch(courierId, { position: { lat: position.lat, lng: position.lng }, positionAt: at });
    return "recorded";
  }

  private patch(courierId: string, change: Partial<Courier>): boolean {
    const courier = this.visible(courierId);
    if (!courier) return false;
    this.ctx.txn.write("couriers").set(courierId, { ...courier, ...change });
    return true;
  }

  private visible(courierId: string): Courier | undefined {
    const courier = this.ctx.txn.read("couriers").get(courierId);
    return courier && canSeeCourier(this.ctx.principal, courier) ? courier : undefined;
  }
}

/** Positions of the couriers the principal may see, and who of some couriers may take an order. */
export class InMemoryCourierLocator implements CourierLocator {
  constructor(private readonly ctx: StoreContext) {}

  async nearest(search: NearestSearch): Promise<NearPosition[]> {
    const excluded = new Set(search.exclude ?? []);
    const fresh = Date.parse(search.freshSince);
    const found: NearPosition[] = [];
    for (const c of this.ctx.txn.read("couriers").values()) {
      if (c.position === null || c.positionAt === null || c.city !== search.city || excluded.has(c.id) || !canSeeCourier(this.ctx.principal, c)) continue;
      if (Date.parse(c.positionAt) < fresh) continue;
      const distance = distanceKm(search.point, c.position);
      if (distance <= search.radiusKm) found.push({ courierId: c.id, position: { ...c.position }, distanceKm: distance });
    }
    return found.sort((a, b) => a.distanceKm - b.distanceKm || (a.courierId < b.courierId ? -1 : 1)).slice(0, search.limit);
  }

  async candidates(found: readonly NearPosition[]): Promise<CourierCandidate[]> {
    const load = this.activeOrders();
    const couriers = this.ctx.txn.read("couriers");
    const offered = new Set([...this.ctx.txn.read("offers").values()].filter((o) => o.status === "open").map((o) => o.courierId));
    return found.flatMap(({ courierId, position }) => {
      const c = couriers.get(courierId);
      if (!c || !c.available || !c.active || offered.has(courierId) || !canSeeCourier(this.ctx.principal, c)) return [];
      return [{ courierId, position: { ...position }, speedKmh: c.speedKmh, activeOrders: load.get(courierId) ?? 0, ratePerKm: { ...c.ratePerKm } }];
    });
  }

  /** Orders assigned and neither delivered nor cancelled, per courier. */
  private activeOrders(): Map<string, number> {
    const load = new Map<string, number>();
    for (const order of this.ctx.txn.read("orders").values()) {
      if (order.courierId === null || isTerminal(order.status)) continue;
      if (!isPrivileged(this.ctx.principal) && order.courierId !== this.ctx.principal.id) continue;
      load.set(order.courierId, (load.get(order.courierId) ?? 0) + 1);
    }
    return load;
  }
}
