import { type Result, domainError, err, ok } from "../domain/result.js";
import type { Offer, OfferError, OfferStatus, OfferStore } from "../ports/offer-store.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { canSeeOffer, checkWrite, isPrivileged } from "./visibility.js";

const stale = (offerId: string, why: string): OfferError => domainError("OFFER_STALE", `offer ${offerId} ${why}`, { offerId });

/**
 * Courier offers in memory. Tokens come from one database sequence; the one-open-offer rules are checked
 * against the whole table inside the (serialised) transaction, the equivalent of a partial unique index.
 */
export class InMemoryOfferStore implements OfferStore {
  constructor(private readonly ctx: StoreContext) {}

  async open(offer: { id: string; orderId: string; restaurantId: string; courierId: string; expiresAt: string; createdAt: string }): Promise<
    Result<Offer, OfferError>
  > {
    checkWrite(isPrivileged(this.ctx.principal), "offers", this.ctx.principal);
    const open = [...this.ctx.txn.read("offers").values()].filter((o) => o.status === "open");
    if (open.some((o) => o.courierId === offer.courierId)) {
      return err(domainError("OFFER_COURIER_BUSY", `courier ${offer.courierId} holds an open offer`, { courierId: offer.courierId }));
    }
    if (open.some((o) => o.orderId === offer.orderId)) {
      return err(domainError("OFFER_ORDER_BUSY", `order ${offer.orderId} has an open offer`, { orderId: offer.orderId }));
    }
    if (this.ctx.txn.read("offers").has(offer.id)) throw new Error(`offer ${offer.id} already exists`);
    const created: Offer = { ...offer, token: this.ctx.db.nextval("offerToken"), status: "open" };
    this.ctx.txn.write("offers").set(created.id, created);
    return ok(copy(created));
  }

  async get(offerId: string): Promise<Offer | null> {
    const offer = this.visible(offerId);
    return offer ? copy(offer) : null;
  }

  async resolve(offerId: string, token: number, to: Exclude<OfferStatus, "open">, now: Date): Promise<Result<Offer, OfferError>> {
    const offer = this.visible(offerId);
    if (!offer) return err(domainError("OFFER_NOT_FOUND", `offer ${offerId} not found`, { offerId }));
    if (offer.token !== token) return err(stale(offerId, `has token ${offer.token}, not ${token}`));
    if (offer.status !== "open") return err(stale(offerId, `is already ${offer.status}`));
    if (to === "accepted" && now.getTime() >= Date.parse(offer.expiresAt)) return err(stale(offerId, "has expired"));
    const resolved: Offer = { ...offer, status: to };
    this.ctx.txn.write("offers").set(offerId, resolved);
    return ok(copy(resolved));
  }

  async openForCourier(courierId: string): Promise<Offer[]> {
    return this.visibleWhere((o) => o.courierId === courierId && o.status === "open");
  }

  async forOrder(orderId: string): Promise<Offer[]> {
    return this.visibleWhere((o) => o.orderId === orderId);
  }

  private visible(offerId: string): Offer | undefined {
    const offer = this.ctx.txn.read("offers").get(offerId);
    return offer && canSeeOffer(this.ctx.principal, offer) ? offer : undefined;
  }

  private visibleWhere(predicate: (offer: Offer) => boolean): Offer[] {
    return [...this.ctx.txn.read("offers").values()]
      .filter((o) => canSeeOffer(this.ctx.principal, o) && predicate(o))
      .sort((a, b) => a.token - b.token)
      .map(copy);
  }
}
