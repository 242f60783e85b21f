import { type Offer, type OfferError, type OfferStatus, type OfferStore, type Result, domainError, err, ok } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { iso, num } from "./rows.js";

interface OfferRow {
  id: string;
  order_id: string;
  restaurant_id: string;
  courier_id: string;
  token: unknown;
  status: OfferStatus;
  expires_at: unknown;
  created_at: unknown;
}

const COLUMNS = "id, order_id, restaurant_id, courier_id, token, status, expires_at, created_at";

const toOffer = (r: OfferRow): Offer => ({
  id: r.id,
  orderId: r.order_id,
  restaurantId: r.restaurant_id,
  courierId: r.courier_id,
  token: num(r.token),
  status: r.status,
  expiresAt: iso(r.expires_at),
  createdAt: iso(r.created_at),
});

/** Offers with fencing tokens from a sequence; partial unique indexes allow one open offer per courier and per order. */
export class PostgresOfferStore implements OfferStore {
  constructor(private readonly tx: SqlExecutor) {}

  async open(offer: {
    id: string;
    orderId: string;
    restaurantId: string;
    courierId: string;
    expiresAt: string;
    createdAt: string;
  }): Promise<Result<Offer, OfferError>> {
    // DO NOTHING covers every unique index, so a racing open waits for the other and then loses cleanly.
    const rows = await this.tx.query<OfferRow>(
      `INSERT INTO offers (id, order_id, restaurant_id, courier_id, status, expires_at, created_at)
       VALUES ($1, $2, $3, $4, 'open', $5, $6) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [offer.id, offer.orderId, offer.restaurantId, offer.courierId, offer.expiresAt, offer.createdAt],
    );
    if (rows[0]) return ok(toOffer(rows[0]));
    const busy = await this.tx.query<{ courier_busy: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM offers WHERE courier_id = $1 AND status = 'open') AS courier_busy",
      [offer.courierId],
    );
    return busy[0]?.courier_busy
      ? err(domainError("OFFER_COURIER_BUSY", `courier ${offer.courierId} already holds an open offer`, { courierId: offer.courierId }))
      : err(domainError("OFFER_ORDER_BUSY", `order ${offer.orderId} already has an open offer`, { orderId: offer.orderId }));
  }

  async get(offerId: string): Promise<Offer | null> {
    const rows = await this.tx.query<OfferRow>(`SELECT ${COLUMNS} FROM offers WHERE id = $1`, [offerId]);
    return rows[0] ? toOffer(rows[0]) : null;
  }

  async resolve(offerId: string, token: number, to: Exclude<OfferStatus, "open">, now: Date): Promise<Result<Offer, OfferError>> {
    const rows = await this.tx.query<OfferRow>(
      `UPDATE offers SET status = $3 WHERE id = $1 AND token = $2 AND status = 'open'
         AND ($3 <> 'accepted' OR expires_at > $4) RETURNING ${COLUMNS}`,
      [offerId, token, to, now.toISOString()],
    );
    if (rows[0]) return ok(toOffer(rows[0]));
    const existing = await this.get(offerId);
    return existing
      ? err(domainError("OFFER_STALE", `offer ${offerId} is no longer open with token ${token}`, { offerId, token }))
      : err(domainError("OFFER_NOT_FOUND", `offer ${offerId} not found`, { offerId }));
  }

  async openForCourier(courierId: string): Promise<Offer[]> {
    const rows = await this.tx.query<OfferRow>(
      `SELECT ${COLUMNS} FROM offers WHERE courier_id = $1 AND status = 'open' ORDER BY created_at, token`,
      [courierId],
    );
    return rows.map(toOffer);
  }

  async forOrder(orderId: string): Promise<Offer[]> {
    const rows = await this.tx.query<OfferRow>(`SELECT ${COLUMNS} FROM offers WHERE order_id = $1 ORDER BY token`, [orderId]);
    return rows.map(toOffer);
  }
}
