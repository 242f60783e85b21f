import fc from "fast-check";

/**
 * Requests generated from a served OpenAPI document, for fuzzing the API: every documented path with documented and
 * other methods, hostile path parameters, documented and unknown query parameters, bodies of the wrong shape, type,
 * size and depth, wrong content types, and every kind of caller (none, a bad token, each role). Shared by the
 * in-process fuzz test and the reliability suite, which sends the same requests to a running `tiffin serve`.
 */

/** One generated request, ready for `fetch` or `inject`. */
export interface FuzzRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/orders/%00?limit=-1`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload?: string;
}

/** What the generator needs to know: the document's paths, and an `authorization` value per kind of caller. */
export interface FuzzTarget {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly paths: readonly [string, Record<string, any>][];
  /** Valid `authorization` header values (one per role); generated requests also use none and broken ones. */
  readonly authorizations: readonly string[];
  /** A body the API accepts for `POST /v1/orders` (the generator sends it as it is and mutated). */
  readonly validOrder: Readonly<Record<string, unknown>>;
}

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD, as a client would send it); raw `%..` stays raw. */
export const encode = (text: string): string =>
  /^%[0-9a-z]{2}$/i.test(text) ? text : [...Buffer.from(text, "utf8")].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, "0")}`)).join("");

const hostileText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("r-curry-house", "butter-chicken", "%zz", "%00", "a%2Fb", "..", "\u0000", "\ud800", "😀", " ", "'; drop table orders;--"),
  fc.integer({ min: 100, max: 2000 }).map((n) => "a".repeat(n)),
  fc.string({ unit: "grapheme", maxLength: 10 }),
);

/** Numbers a schema should turn away or a handler should survive: huge, negative, fractional, not safe integers. */
const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(-1, 0, -0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 1e-320),
  fc.integer(),
);

/** A value of any JSON type, for a field that expects another one. */
const wrongType = fc.oneof(fc.string({ maxLength: 8 }), hostileNumber, fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

/** JSON nested `depth` levels deep, as text (too deep for a naive recursive parser or validator). */
const deeplyNested = fc.tuple(fc.integer({ min: 50, max: 5000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`));

/** A valid order with one field removed, replaced by a value of another type, or joined by an unknown one. */
const mutatedOrder = (order: Readonly<Record<string, unknown>>) =>
  fc.tuple(fc.constantFrom(...Object.keys(order)), fc.constantFrom("drop", "retype", "extra"), wrongType, fc.string({ minLength: 1, maxLength: 12 })).map(([field, change, value, extra]) => {
    const copy: Record<string, unknown> = { ...order };
    if (change === "drop") delete copy[field];
    if (change === "retype") copy[field] = value;
    if (change === "extra") copy[`x-${extra}`] = value;
    return copy;
  });

const jsonBody = (target: FuzzTarget) =>
  fc.oneof(
    fc.constant(target.validOrder),
    mutatedOrder(target.validOrder),
    fc.record({ token: hostileNumber }),
    fc.record({ lat: hostileNumber, lng: hostileNumber }),
    fc.record({ available: fc.oneof(fc.boolean(), fc.string()), portions: hostileNumber }),
    fc.jsonValue({ maxDepth: 3 }),
  );

const body = (target: FuzzTarget) =>
  fc.oneof(
    fc.constant(undefined),
    jsonBody(target).map((value) => ({ type: "application/json", payload: JSON.stringify(value) })),
    deeplyNested.map((payload) => ({ type: "application/json", payload })),
    fc.string({ unit: "grapheme", maxLength: 40 }).map((text) => ({ type: "application/json", payload: JSON.stringify({ name: text, line1: text }) })),
    fc.tuple(fc.constantFrom("application/json", "text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/octet-stream"), fc.string({ maxLength: 50 })).map(([type, payload]) => ({ type, payload })),
  );

/** `authorization` values no API may accept: malformed, unsigned (`alg: none`), another scheme. */
const BROKEN_AUTHORIZATIONS = [
  "Bearer not-a-token",
  "Bearer a.b.c",
  // {"alg":"none"}.{"sub":"x","role":"admin"}. — an unsigned token claiming to be an admin.
  "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.",
  "Basic YWRtaW46YWRtaW4=",
  "Bearer ",
  `Bearer ${"a".repeat(9000)}`,
];

/** An arbitrary request against `target`'s API. */
export function fuzzRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: fc.integer({ min: 0, max: target.paths.length - 1 }),
      method: fc.oneof(fc.constant("documented"), fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE")),
      params: fc.array(hostileText, { minLength: 3, maxLength: 3 }),
      query: fc.array(fc.tuple(fc.oneof(fc.constantFrom("lat", "lng", "q", "radius_km", "limit", "cursor", "status", "subscription", "open_now"), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 8 }), hostileNumber.map(String))), { maxLength: 3 }),
      auth: fc.oneof(fc.constant(-1), fc.integer({ min: -1 - BROKEN_AUTHORIZATIONS.length, max: -2 }), fc.integer({ min: 0, max: target.authorizations.length - 1 })),
      body: body(target),
      key: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 10 }), fc.constant("k".repeat(300))),
    })
    .map((r) => {
      const [template, operations] = target.paths[r.path] as [string, Record<string, unknown>];
      const documented = Object.keys(operations)[0]?.toUpperCase() ?? "GET";
      const method = r.method === "documented" ? documented : r.method;
      let index = 0;
      // Stream routes stay open for a real order, so they only get ids that cannot exist.
      const streaming = template.endsWith("/stream");
      const path = template.replace(/\{[^}]+\}/g, () => encode(`${streaming ? "nope-" : ""}${r.params[index++] ?? "x"}`));
      const query = r.query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join("&");
      const headers: Record<string, string> = {};
      if (r.auth >= 0) headers.authorization = target.authorizations[r.auth] ?? "";
      if (r.auth <= -2) headers.authorization = BROKEN_AUTHORIZATIONS[-r.auth - 2] ?? "";
      if (r.key !== undefined && r.key !== "") headers["idempotency-key"] = r.key;
      if (r.body !== undefined) headers["content-type"] = r.body.type;
      return { method, url: query === "" ? path : `${path}?${query}`, headers, ...(r.body === undefined ? {} : { payload: r.body.payload }) };
    });
}

/** What a fuzzed answer must be: no 5xx, and an error is a problem document with a stable code. Null when it is. */
export function fuzzAnswerProblem(answer: { readonly status: number; readonly contentType: string; readonly body: string }): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return null;
  if (!answer.contentType.includes("application/problem+json")) return `a ${answer.status} as ${answer.contentType || "no content type"}, not problem+json`;
  let code: unknown;
  try {
    code = (JSON.parse(answer.body) as { code?: unknown }).code;
  } catch {
    return `a ${answer.status} whose body is not JSON`;
  }
  return typeof code === "string" && /^[A-Z][A-Z_]+$/.test(code) ? null : `a ${answer.status} without a code`;
}
