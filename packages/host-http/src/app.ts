import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify from "fastify";
import { registerOpenApi } from "./openapi/openapi-document.js";
import { registerRouteConventions } from "./openapi/route-conventions.js";
import { registerAuth } from "./plugins/auth.js";
import { registerJsonDepthLimit } from "./plugins/json-depth.js";
import { registerObservability, requestObserver } from "./plugins/observability.js";
import { registerStorableText } from "./plugins/storable-text.js";
import { frameworkErrorHandler, registerProblemHandling } from "./problems/error-handler.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { catalogRoutes } from "./routes/catalog-routes.js";
import { courierRoutes } from "./routes/courier-routes.js";
import { kitchenRoutes } from "./routes/kitchen-routes.js";
import { orderRoutes } from "./routes/order-routes.js";
import type { HttpAppDeps, RouteContext, TiffinFastify } from "./routes/route-deps.js";
import { systemRoutes } from "./routes/system-routes.js";
import { ProblemSchema } from "./schemas/common.js";
import { ChangeFanOut } from "./streams/change-fan-out.js";
import { StreamRegistry } from "./streams/sse.js";

const DEFAULT_BODY_LIMIT = 65_536;

/**
 * Longest path parameter the router passes on. Ids are up to 128 characters (IdSchema); anything between that and
 * this limit is a 400 VALIDATION_FAILED from the schema, beyond it a 414 URI_TOO_LONG from the router.
 */
const MAX_PARAM_LENGTH = 1024;

/**
 * Builds the Tiffin HTTP API as a fastify instance: tests `inject` into it, hosts `listen`. Every answer that is
 * not a success is `application/problem+json` with a stable code, router errors included, and is counted in the
 * HTTP metrics. Closing it ends open event streams first, then waits for in-flight requests.
 */
export async function buildHttpApp(deps: HttpAppDeps): Promise<TiffinFastify> {
  const observe = requestObserver(deps.metrics, deps.logger);
  const app: TiffinFastify = Fastify({
    logger: false,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler((request, status) => observe(request, status, 0)),
    // Unknown properties are rejected (400), never silently dropped: a client sending a total must hear no.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    forceCloseConnections: "idle",
  }).withTypeProvider<TypeBoxTypeProvider>();

  const registry = new StreamRegistry();
  const options = {
    safetyPollMs: deps.streams?.safetyPollMs ?? (deps.viewChanges === undefined ? 500 : 5_000),
    heartbeatMs: deps.streams?.heartbeatMs ?? 15_000,
  };
  const fanOut = new ChangeFanOut(deps.viewChanges, options.safetyPollMs, deps.logger);
  await fanOut.start();
  const ctx: RouteContext = { tiffin: deps.tiffin, verifyToken: deps.verifyToken, streams: { registry, options, fanOut } };
  app.addHook("preClose", async () => {
    registry.endAll();
    await fanOut.stop();
  });

  registerProblemHandling(app, deps.logger);
  registerObservability(app, observe);
  registerAuth(app, deps.verifyToken);
  registerStorableText(app);
  // JSON only: a text/plain body is 415 like any other media type the API does not take, not a string to validate.
  app.removeContentTypeParser("text/plain");
  registerJsonDepthLimit(app);
  app.addSchema(ProblemSchema);
  await registerOpenApi(app, registerRouteConventions(app));

  systemRoutes(app, deps);
  catalogRoutes(app, ctx);
  orderRoutes(app, ctx);
  kitchenRoutes(app, ctx);
  courierRoutes(app, ctx);
  adminRoutes(app, ctx);
  return app;
}
