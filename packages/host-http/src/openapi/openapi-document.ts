import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import type { NamedSchemas } from "./route-conventions.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Moves the top-level body and response schemas that carry an `$id` (which the generator inlines) into
 * `components.schemas` under that name, and points at them with a `$ref`.
 */
function nameTopLevelSchemas(document: Json, named: NamedSchemas): Json {
  const components: Json = (document.components.schemas ??= {});
  const hoist = (content: Json | undefined, name: string) => {
    const media = content?.["application/json"];
    if (media?.schema === undefined) return;
    components[name] ??= media.schema;
    media.schema = { $ref: `#/components/schemas/${name}` };
  };
  for (const operations of Object.values(document.paths as Json)) {
    for (const operation of Object.values(operations as Json)) {
      const names = named.get(operation.operationId);
      if (names === undefined) continue;
      if (names.body !== undefined) hoist(operation.requestBody?.content, names.body);
      for (const [status, name] of Object.entries(names.responses)) hoist(operation.responses?.[status]?.content, name);
    }
  }
  return document;
}

/** The API version the document describes. */
export const API_VERSION = "0.1.0";

/**
 * Serves the OpenAPI 3.1 description at `/openapi.json` and its UI at `/docs`. Schemas with an `$id` are emitted
 * once under `components.schemas` by that name (never `def-0`). Every route is secured by a bearer JWT unless it
 * says otherwise (public routes declare `security: []`, see route-conventions).
 */
export async function registerOpenApi(app: FastifyInstance, named: NamedSchemas): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tiffin API",
        version: API_VERSION,
        description: "Order processing for food delivery. Every error is an RFC 9457 `application/problem+json` document with a stable `code`.",
        license: { name: "Apache-2.0", url: "https://www.apache.org/licenses/LICENSE-2.0" },
      },
      servers: [{ url: "/", description: "the server that serves this document" }],
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
      security: [{ bearer: [] }],
      tags: [
        { name: "catalog", description: "Restaurants and menus; public" },
        { name: "orders", description: "Customers place, follow and cancel orders" },
        { name: "restaurants", description: "Restaurant staff: the board and kitchen actions" },
        { name: "couriers", description: "Couriers: position, availability, offers, pickup and delivery" },
        { name: "admin", description: "Operators: sagas, dead letters, the providers' ledger" },
        { name: "system", description: "Health and metrics; public" },
      ],
    },
    transformObject: (document) => nameTopLevelSchemas((document as { openapiObject: Json }).openapiObject, named),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === "string" ? json.$id : `Schema${index}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
