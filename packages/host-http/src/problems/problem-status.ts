/**
 * Every stable error code the API answers with, and its HTTP status. The one place codes meet statuses:
 * use cases return codes, this table decides what a client sees.
 */
export const PROBLEM_STATUS: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  IDEMPOTENCY_KEY_TOO_LONG: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  OFFER_NOT_FOUND: 404,
  RESTAURANT_NOT_FOUND: 404,
  COURIER_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ORDER_INVALID_TRANSITION: 409,
  ORDER_COURIER_ALREADY_SET: 409,
  ORDER_VERSION_CONFLICT: 409,
  ORDER_ALREADY_EXISTS: 409,
  ORDER_NOT_PAID: 409,
  OFFER_STALE: 409,
  OFFER_COURIER_BUSY: 409,
  OFFER_ORDER_BUSY: 409,
  IDEMPOTENCY_KEY_IN_FLIGHT: 409,
  RESTAURANT_ALREADY_EXISTS: 409,
  MENU_ITEM_SOLD_OUT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RESTAURANT_CLOSED: 422,
  MENU_ITEM_UNKNOWN: 422,
  MENU_ITEM_UNAVAILABLE: 422,
  MENU_OPTION_INVALID: 422,
  MENU_OPTION_UNAVAILABLE: 422,
  MENU_SELECTION_OUT_OF_RANGE: 422,
  MENU_QUANTITY_OUT_OF_RANGE: 422,
  MENU_CART_EMPTY: 422,
  MENU_INVALID: 422,
  MENU_CURRENCY_MISMATCH: 422,
  DELIVERY_OUT_OF_RANGE: 422,
  ORDER_TOO_LARGE: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** An expected failure with a code missing above is still the client's problem (a rule it broke), never a 5xx. */
const UNLISTED_EXPECTED_FAILURE = 422;

export const statusForCode = (code: string): number => PROBLEM_STATUS[code] ?? UNLISTED_EXPECTED_FAILURE;

/** Titles for the statuses above (RFC 9457 `title`: the same for every occurrence of a status). */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
