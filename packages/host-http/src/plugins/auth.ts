import type { Principal } from "@tiffin/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type TokenVerifier, bearerToken } from "../auth/jwt.js";
import { HttpProblem } from "../problems/problem.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The verified caller; set on every route not marked `config: { public: true }`. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The route needs no token (health, metrics, catalog, docs). */
    public?: boolean;
  }
}

/** Verifies the bearer token on every non-public route, before the body is even read. */
export function registerAuth(app: FastifyInstance, verify: TokenVerifier): void {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    const route = request.routeOptions.url;
    // Unknown routes fall through to the 404 handler; the docs UI's own routes cannot carry our config flag.
    if (route === undefined || request.routeOptions.config.public === true || route.startsWith("/docs")) return;
    request.principal = await verify(bearerToken(request.headers.authorization));
  });
}

/** The caller of an authenticated route. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new HttpProblem("UNAUTHENTICATED", "this route needs a bearer token");
  return request.principal;
}

/** The caller when a token is optional (catalog routes answer anyone, but a valid token is still honoured). */
export async function optionalPrincipal(request: FastifyRequest, verify: TokenVerifier): Promise<Principal | null> {
  const header = request.headers.authorization;
  return header === undefined ? null : verify(bearerToken(header));
}
