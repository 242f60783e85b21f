import type { EventType } from "../domain/events.js";

type Payload = Record<string, unknown>;
/** One field's rule: null when the payload keeps it, else what is wrong. */
type FieldRule = (data: Payload) => string | null;

const isObject = (value: unknown): value is Payload => typeof value === "object" && value !== null && !Array.isArray(value);

const text =
  (field: string): FieldRule =>
  (data) =>
    typeof data[field] === "string" && data[field] !== "" ? null : `${field} must be a non-empty string`;
const integer =
  (field: string): FieldRule =>
  (data) =>
    Number.isSafeInteger(data[field]) ? null : `${field} must be an integer`;
const money =
  (field: string): FieldRule =>
  (data) => {
    const value = data[field];
    return isObject(value) && Number.isSafeInteger(value.amount) && typeof value.currency === "string" ? null : `${field} must be money ({ amount, currency })`;
  };
const place =
  (field: string): FieldRule =>
  (data) => {
    const value = data[field];
    return isObject(value) && Number.isFinite(value.lat) && Number.isFinite(value.lng) ? null : `${field} must be a position ({ lat, lng })`;
  };
const list =
  (field: string): FieldRule =>
  (data) =>
    Array.isArray(data[field]) && data[field].every(isObject) ? null : `${field} must be a list of objects`;

/**
 * The fields each event type's handlers read, checked when a message is consumed. A payload that breaks one can
 * never be handled, however often it is delivered, so it is refused as permanent (dead-lettered on its first
 * delivery) instead of failing every retry. Every event type has its rules: a new type does not compile without.
 */
const PAYLOAD_RULES = {
  "order.placed": [text("customerId"), text("restaurantId"), list("lines"), money("total"), integer("menuVersion"), place("deliveryAddress")],
  "payment.captured": [money("amount"), text("paymentId")],
  "payment.declined": [text("reason")],
  "order.confirmed": [text("restaurantId")],
  "order.preparing": [text("restaurantId")],
  "order.ready": [text("restaurantId")],
  "courier.assigned": [text("courierId"), text("offerId")],
  "courier.unassigned": [text("courierId")],
  "order.picked_up": [text("courierId")],
  "order.delivered": [text("courierId")],
  "order.cancelled": [text("reason"), text("from")],
  "payment.refunded": [money("amount"), text("paymentId")],
  "payout.paid": [text("party"), text("partyId"), money("amount"), text("payoutId")],
  "saga.completed": [],
  "saga.compensated": [text("reason")],
  "saga.failed": [text("reason")],
} satisfies Record<EventType, readonly FieldRule[]>;

/** What is wrong with an event's payload, or null when its handlers can read it. */
export function payloadProblem(type: EventType, data: unknown): string | null {
  if (!isObject(data)) return "the payload must be a JSON object";
  const problems = PAYLOAD_RULES[type].map((rule) => rule(data)).filter((problem) => problem !== null);
  return problems.length === 0 ? null : problems.join("; ");
}
