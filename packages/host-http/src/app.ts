import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify from "fastify";
import { registerAuth } from "./plugins/auth.js";
import { registerObservability } from "./plugins/observability.js";
import { registerProblemHandling } from "./problems/error-handler.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { catalogRoutes } from "./routes/catalog-routes.js";
import { courierRoutes } from "./routes/courier-routes.js";
import { kitchenRoutes } from "./routes/kitchen-routes.js";
import { orderRoutes } from "./routes/order-routes.js";
import type { HttpAppDeps, RouteContext, TiffinFastify } from "./routes/route-deps.js";
import { systemRoutes } from "./routes/system-routes.js";
import { ProblemSchema } from "./schemas/common.js";
import { StreamRegistry } from "./streams/sse.js";

const DEFAULT_BODY_LIMIT = 65_536;

/**
 * Builds the Tiffin HTTP API (DESIGN.md §6) as a fastify instance: tests `inject` into it, hosts `listen`.
 * Closing it ends open event streams first, then waits for in-flight requests.
 */
export async function buildHttpApp(deps: HttpAppDeps): Promise<TiffinFastify> {
  const app: TiffinFastify = Fastify({
    logger: false,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    // Unknown properties are rejected (400), never silently dropped: a client sending a total must hear no.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    forceCloseConnections: "idle",
  }).withTypeProvider<TypeBoxTypeProvider>();

  const streams = new StreamRegistry();
  const ctx: RouteContext = {
    tiffin: deps.tiffin,
    verifyToken: deps.verifyToken,
    streams,
    sse: { pollMs: deps.streams?.pollMs ?? 500, heartbeatMs: deps.streams?.heartbeatMs ?? 15_000 },
  };
  app.addHook("preClose", async () => streams.endAll());

  registerProblemHandling(app, deps.logger);
  registerObservability(app, deps.metrics, deps.logger);
  registerAuth(app, deps.verifyToken);
  app.addSchema(ProblemSchema);

  await app.register(swagger, {
    openapi: {
      info: { title: "Tiffin API", version: "0.1.0", description: "Order processing for food delivery. Errors are RFC 9457 problem+json with a stable `code`." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  systemRoutes(app, deps);
  catalogRoutes(app, ctx);
  orderRoutes(app, ctx);
  kitchenRoutes(app, ctx);
  courierRoutes(app, ctx);
  adminRoutes(app, ctx);
  return app;
}
