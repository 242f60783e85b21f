import { type Logger, type Principal, type UnitOfWork, type ViewChangeFeed, createTiffin, silentLogger } from "@tiffin/core";
import { InMemoryBroker, InMemoryProviderStore, InMemoryUnitOfWork, InMemoryViewChanges, RandomIds, systemClock } from "@tiffin/core/memory";
import { DEMO_IDS, Metrics, seedDemoData } from "@tiffin/runtime";
import { buildHttpApp } from "../app.js";
import { ResponseConformance } from "../testing/response-conformance.js";
import { createTokenVerifier, mintToken } from "../auth/jwt.js";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import type { TiffinFastify } from "../routes/route-deps.js";
import type { SseOptions } from "../streams/sse.js";

export const TEST_SECRET = "test-secret-test-secret-test-secret!";

export interface InMemoryApi {
  readonly app: TiffinFastify;
  readonly uow: InMemoryUnitOfWork;
  readonly metrics: Metrics;
  /** `Authorization` header value for a principal. */
  auth(principal: Omit<Principal, "role"> & { role: "customer" | "restaurant" | "courier" | "admin" }): Promise<string>;
}

/** The real API over the in-memory adapters with the demo catalog, for `inject` tests. */
export async function inMemoryApi(
  options: {
    bodyLimitBytes?: number;
    streams?: Partial<SseOptions>;
    /** The view change feed (default: the in-memory database's). */
    viewChanges?: (uow: InMemoryUnitOfWork) => ViewChangeFeed;
    unitOfWork?: (inner: UnitOfWork) => UnitOfWork;
    logger?: Logger;
  } = {},
): Promise<InMemoryApi> {
  const uow = new InMemoryUnitOfWork();
  // The broker's dead-letter queue backs the admin routes; nothing is subscribed, so it stays empty.
  const deps = { clock: systemClock, ids: new RandomIds(), ledger: new InMemoryProviderStore(), deadLetters: new InMemoryBroker() };
  // Seeded through a facade on the plain unit of work, so a test's wrapper (a failing database) starts after it.
  await seedDemoData(createTiffin({ ...deps, uow }));
  const logger = options.logger ?? silentLogger;
  const tiffin = createTiffin({ ...deps, uow: options.unitOfWork ? options.unitOfWork(uow) : uow, logger });
  const metrics = new Metrics();
  const app = await buildHttpApp({
    tiffin,
    verifyToken: createTokenVerifier({ kind: "secret", secret: TEST_SECRET }),
    logger,
    metrics,
    health: { ready: () => true, check: async () => ({ database: "ok", broker: "ok" }) },
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.streams === undefined ? {} : { streams: options.streams }),
    viewChanges: options.viewChanges?.(uow) ?? new InMemoryViewChanges(uow.database),
  });
  await app.ready();
  checkEveryResponse(app, await ResponseConformance.of(app.swagger()));
  return {
    app,
    uow,
    metrics,
    auth: async (p) =>
      `Bearer ${await mintToken(TEST_SECRET, { role: p.role, sub: p.id, ...(p.restaurantId === undefined ? {} : { restaurantId: p.restaurantId }) })}`,
  };
}

/** A valid place-order body for the demo catalog. */
export const demoOrder = (quantity = 1) => ({
  restaurantId: DEMO_IDS.restaurant,
  items: [{ itemId: DEMO_IDS.item, quantity, options: [...DEMO_IDS.options] }],
  deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
});

/** Every `inject` in these tests is checked against the served OpenAPI document; a mismatch fails the test. */
function checkEveryResponse(app: TiffinFastify, conformance: ResponseConformance): void {
  const inject = app.inject.bind(app) as (options: InjectOptions) => Promise<LightMyRequestResponse>;
  const checked = async (options: InjectOptions) => {
    const response = await inject(options);
    const request = typeof options === "string" ? { method: "GET", url: options } : { method: options.method, url: String(options.url ?? "/") };
    const contentType = response.headers["content-type"];
    let body: unknown = response.body;
    if (typeof contentType === "string" && /json/.test(contentType) && response.body !== "") body = JSON.parse(response.body);
    if (!request.url.startsWith("/docs") && request.url !== "/openapi.json") {
      conformance.assert({ method: String(request.method ?? "GET"), url: request.url, status: response.statusCode, contentType: typeof contentType === "string" ? contentType : null, body });
    }
    return response;
  };
  Object.assign(app, { inject: checked });
}
