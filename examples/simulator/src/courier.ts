import { type TiffinApi, hasCode } from "./api-client.js";
import type { LatLng, Offer, OrderView, Page } from "./api-types.js";
import { planRoute, pointNear } from "./route.js";
import { type World, sleep } from "./world.js";

/** Answers meaning the order went elsewhere meanwhile (cancelled, or the offer expired): drop it and go on. */
const GONE = ["OFFER_STALE", "NOT_FOUND", "ORDER_INVALID_TRANSITION"];

/**
 * A courier on shift: reports a position, polls offers and accepts them (declines when already carrying
 * `courierCapacity` orders), rides to the restaurant, waits for the food, rides to the customer, and reports every
 * step through the API (PUT location, picked-up, delivered). Orders are delivered one after the other.
 */
export class CourierAgent {
  private position: LatLng;
  private readonly jobs: Offer[] = [];
  private carrying = 0;

  constructor(
    private readonly world: World,
    readonly id: string,
    private readonly signal: AbortSignal,
  ) {
    this.position = pointNear(world.config.centre, 1, world.random);
  }

  async run(): Promise<void> {
    const api = await this.world.api("courier", this.id);
    const onShift = await this.world.guard(`courier ${this.id}`, async () => {
      try {
        await api.put("/v1/couriers/me/availability", { available: true });
        await api.put("/v1/couriers/me/location", this.position);
        return true;
      } catch (error) {
        if (!hasCode(error, "NOT_FOUND")) throw error;
        this.world.reporter.warn(`courier ${this.id} is not known to the platform (seed couriers or pass --couriers); skipping`);
        return false;
      }
    });
    if (onShift !== true) return;
    await Promise.all([this.takeOffers(api), this.deliverAll(api)]);
  }

  private async takeOffers(api: TiffinApi): Promise<void> {
    while (!this.signal.aborted) {
      await this.world.guard(`courier ${this.id} offers`, async () => {
        const offers = await api.get<Page<Offer>>("/v1/couriers/me/offers");
        for (const offer of offers.items) {
          const full = this.carrying >= this.world.config.courierCapacity;
          try {
            await api.post(`/v1/offers/${offer.id}/${full ? "decline" : "accept"}`, { token: offer.token });
          } catch (error) {
            if (!hasCode(error, ...GONE)) throw error;
            if (!full) this.world.reporter.line(`courier ${this.id} was too late for ${this.world.label(offer.orderId)} (${error.code})`);
            continue;
          }
          if (!full) {
            this.carrying += 1;
            this.jobs.push(offer);
          }
        }
      });
      await sleep(this.world.config.pollMs, this.signal);
    }
  }

  private async deliverAll(api: TiffinApi): Promise<void> {
    while (!this.signal.aborted) {
      const job = this.jobs.shift();
      if (job === undefined) {
        await sleep(this.world.config.pollMs, this.signal);
        continue;
      }
      await this.world.guard(`courier ${this.id} delivering ${this.world.label(job.orderId)}`, () => this.deliver(api, job));
      this.carrying -= 1;
    }
  }

  private async deliver(api: TiffinApi, job: Offer): Promise<void> {
    const restaurant = this.world.restaurants.get(job.restaurantId);
    if (restaurant !== undefined) await this.ride(api, restaurant.location);
    if (!(await this.waitUntilReady(api, job.orderId))) return;
    try {
      await api.post(`/v1/orders/${job.orderId}/picked-up`);
      await this.ride(api, this.world.addresses.get(job.orderId) ?? this.position);
      if (this.signal.aborted) return;
      await api.post(`/v1/orders/${job.orderId}/delivered`);
    } catch (error) {
      if (!hasCode(error, ...GONE)) throw error;
    }
  }

  /** Reports a position every tick while riding to `target`. */
  private async ride(api: TiffinApi, target: LatLng): Promise<void> {
    for (const point of planRoute(this.position, target, this.world.config.stepKm)) {
      if (!(await sleep(this.world.config.tickMs, this.signal))) return;
      await api.put("/v1/couriers/me/location", point);
      this.position = point;
    }
  }

  /** Waits at the restaurant until the food is ready; false when the order was cancelled (or the run ends). */
  private async waitUntilReady(api: TiffinApi, orderId: string): Promise<boolean> {
    while (!this.signal.aborted) {
      const view = await api.get<OrderView>(`/v1/orders/${orderId}`);
      if (view.status === "cancelled") return false;
      if (view.status !== "placed" && view.status !== "confirmed" && view.status !== "preparing") return true;
      await sleep(this.world.config.pollMs, this.signal);
    }
    return false;
  }
}
