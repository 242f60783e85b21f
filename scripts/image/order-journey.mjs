/* global fetch, setTimeout */
// One order through the public HTTP API, from placed to delivered and paid out, as a client would drive it:
// customer places, the (auto) kitchen accepts, a demo courier accepts the offer, picks up and delivers. Used by
// `npm run verify:image`; plain JavaScript so it runs against any installed `tiffin` without a build.

const ORDER = { restaurantId: "r-curry-house", items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.521, lng: 13.41 } };
const COURIERS = ["c-anna", "c-ben", "c-chen"];

async function waitFor(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? "" : `: ${last}`}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function call(base, method, path, token, body, headers = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === "" ? null : JSON.parse(text), text };
}

/**
 * Places one order at `base` and drives it to delivered; resolves with the order id, the provider ledger's entries
 * (`kind:party`) and the saga status. `token(role, sub)` mints a bearer token. Throws, saying what it waited for,
 * when a step does not happen.
 */
export async function deliverOneOrder(base, token, { run }) {
  const customer = token("customer", `image-customer-${run}`);
  const placed = await call(base, "POST", "/v1/orders", customer, ORDER, { "idempotency-key": `image-${run}` });
  if (placed.status !== 201) throw new Error(`placing the order answered ${placed.status}: ${placed.text}`);
  const orderId = placed.json.id;
  const couriers = Object.fromEntries(COURIERS.map((sub) => [sub, token("courier", sub)]));
  const { courier, offer } = await waitFor(`an offer for ${orderId}`, async () => {
    for (const [sub, bearer] of Object.entries(couriers)) {
      const offers = await call(base, "GET", "/v1/couriers/me/offers", bearer);
      const found = offers.json?.items?.find((o) => o.orderId === orderId);
      if (found !== undefined) return { courier: sub, offer: found };
    }
    return undefined;
  });
  const accepted = await call(base, "POST", `/v1/offers/${offer.id}/accept`, couriers[courier], { token: offer.token });
  if (accepted.status !== 200) throw new Error(`accepting the offer answered ${accepted.status}: ${accepted.text}`);
  await waitFor(`order ${orderId} to be ready`, async () => {
    const view = await call(base, "GET", `/v1/orders/${orderId}`, customer);
    return view.json?.status === "ready" ? true : undefined;
  });
  for (const step of ["picked-up", "delivered"]) {
    const answer = await call(base, "POST", `/v1/orders/${orderId}/${step}`, couriers[courier]);
    if (answer.status !== 200) throw new Error(`${step} answered ${answer.status}: ${answer.text}`);
  }
  const admin = token("admin", "image-ops");
  const saga = await waitFor("the payment saga to complete", async () => {
    const answer = await call(base, "GET", `/admin/sagas/${orderId}`, admin);
    return answer.json?.status === "completed" ? answer.json.status : undefined;
  });
  const ledger = await call(base, "GET", `/admin/payments/${orderId}`, admin);
  const entries = ledger.json.items.map((e) => `${e.kind}:${e.party}`).sort();
  const expected = ["charge:customer", "payout:courier", "payout:restaurant"];
  if (JSON.stringify(entries) !== JSON.stringify(expected)) throw new Error(`ledger is ${entries.join(", ")}, expected ${expected.join(", ")}`);
  const view = await waitFor("the order view to show delivered and paid out", async () => {
    const answer = await call(base, "GET", `/v1/orders/${orderId}`, customer);
    return answer.json?.status === "delivered" && answer.json?.paymentStatus === "paid_out" ? answer.json : undefined;
  });
  return { orderId, courier, ledger: entries, saga, status: view.status };
}
