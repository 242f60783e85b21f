import type { OidcSettings } from "../session/oidc.js";
import { ApiError, problemOf } from "./problem.js";
import type { DeadLetter, DemoIdentity, LatLng, LedgerEntry, Menu, Offer, OrderView, Page, Restaurant, RestaurantDetails, Saga } from "./types.js";

type Method = "GET" | "POST" | "PUT" | "PATCH";

/** A place-order line: an item (with its chosen options) or a combo, by id. */
export interface PlaceOrderLine {
  readonly itemId: string;
  readonly quantity: number;
  readonly options?: readonly string[];
}

/**
 * The public HTTP API as the console calls it. Every call sends the current bearer token in the Authorization
 * header (never in a URL) and turns an error answer into an ApiError carrying the problem's code and detail.
 */
export class TiffinApi {
  constructor(
    readonly token: () => string | null,
    private readonly base = "",
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  async request<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = this.token();
    const response = await this.fetchFn(`${this.base}${path}`, {
      method,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await problemOf(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  identities = () => this.request<{ items: DemoIdentity[] }>("GET", "/app/identities");

  /** The identity provider to sign in with; 404 when the server configured none. */
  oidc = () => this.request<OidcSettings>("GET", "/app/oidc");

  nearby = (at: LatLng, q = "", openNow = true) =>
    this.request<Page<Restaurant>>(
      "GET",
      `/v1/restaurants?lat=${at.lat}&lng=${at.lng}&radius_km=10&open_now=${openNow}${q.trim() === "" ? "" : `&q=${encodeURIComponent(q.trim())}`}`,
    );
  menu = (restaurantId: string) => this.request<Menu>("GET", `/v1/restaurants/${encodeURIComponent(restaurantId)}/menu`);
  placeOrder = (body: { restaurantId: string; items: readonly PlaceOrderLine[]; deliveryAddress: LatLng & { line1?: string } }, idempotencyKey: string) =>
    this.request<OrderView>("POST", "/v1/orders", body, { "idempotency-key": idempotencyKey });
  order = (id: string) => this.request<OrderView>("GET", `/v1/orders/${encodeURIComponent(id)}`);
  myOrders = () => this.request<Page<OrderView>>("GET", "/v1/orders?limit=20");
  cancel = (id: string) => this.request<{ status: string }>("POST", `/v1/orders/${encodeURIComponent(id)}/cancel`);

  board = (restaurantId: string) => this.request<Page<OrderView>>("GET", `/v1/restaurants/${encodeURIComponent(restaurantId)}/board`);
  kitchen = (restaurantId: string, orderId: string, action: "accept" | "reject" | "ready") =>
    this.request<{ status: string }>("POST", `/v1/restaurants/${encodeURIComponent(restaurantId)}/orders/${encodeURIComponent(orderId)}/${action}`);
  /** The restaurant's details: the API has no GET for them, and an empty merge patch changes nothing and answers them. */
  restaurantDetails = (restaurantId: string) => this.request<RestaurantDetails>("PATCH", `/v1/restaurants/${encodeURIComponent(restaurantId)}`, {});
  pauseIntake = (restaurantId: string, closedNow: boolean) =>
    this.request<RestaurantDetails>("PATCH", `/v1/restaurants/${encodeURIComponent(restaurantId)}`, { closedNow });
  setItem = (restaurantId: string, itemId: string, available: boolean) =>
    this.request<unknown>("PATCH", `/v1/restaurants/${encodeURIComponent(restaurantId)}/menu/items/${encodeURIComponent(itemId)}`, { available });
  setOption = (restaurantId: string, itemId: string, optionId: string, available: boolean) =>
    this.request<unknown>(
      "PATCH",
      `/v1/restaurants/${encodeURIComponent(restaurantId)}/menu/items/${encodeURIComponent(itemId)}/options/${encodeURIComponent(optionId)}`,
      { available },
    );

  setAvailable = (available: boolean) => this.request<{ available: boolean }>("PUT", "/v1/couriers/me/availability", { available });
  reportPosition = (at: LatLng) => this.request<unknown>("PUT", "/v1/couriers/me/location", { lat: at.lat, lng: at.lng });
  offers = () => this.request<Page<Offer>>("GET", "/v1/couriers/me/offers");
  answerOffer = (offer: Offer, answer: "accept" | "decline") =>
    this.request<Offer>("POST", `/v1/offers/${encodeURIComponent(offer.id)}/${answer}`, { token: offer.token });
  courierStep = (orderId: string, step: "picked-up" | "delivered") => this.request<{ status: string }>("POST", `/v1/orders/${encodeURIComponent(orderId)}/${step}`);

  sagas = (status?: string) => this.request<Page<Saga>>("GET", `/admin/sagas?limit=200${status === undefined ? "" : `&status=${status}`}`);
  saga = (orderId: string) => this.request<Saga>("GET", `/admin/sagas/${encodeURIComponent(orderId)}`);
  ledger = (orderId: string) => this.request<{ items: LedgerEntry[] }>("GET", `/admin/payments/${encodeURIComponent(orderId)}`);
  deadLetters = (subscription: string) => this.request<Page<DeadLetter>>("GET", `/admin/dead-letters?subscription=${encodeURIComponent(subscription)}`);
  replay = (id: string) => this.request<{ replayed: string }>("POST", `/admin/dead-letters/${encodeURIComponent(id)}/replay`);
}

export { ApiError };
