import type { FastifyInstance, RouteOptions } from "fastify";
import { STATUS_TITLES } from "../problems/problem-status.js";
import { PROBLEM_CONTENT_TYPE } from "../problems/problem.js";

type Schema = Record<string, unknown>;
type RouteSchema = { [key: string]: unknown; response?: Record<string, unknown>; querystring?: Schema; security?: { [label: string]: readonly string[] }[] };

const PROBLEM_REF = { $ref: "Problem" };

/** By operationId: the `$id` of its request body and of each response's schema, to name them in the document. */
export type NamedSchemas = Map<string, { body?: string; responses: Record<string, string> }>;

const idOf = (schema: unknown): string | undefined => {
  const id = (schema as Schema | undefined)?.$id;
  return typeof id === "string" ? id : undefined;
};
const BODY_METHODS = ["POST", "PUT", "PATCH"];

/** `POST /v1/orders/:id/cancel` -> `postOrdersByIdCancel`: stable, unique per method and path. */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .split("/")
    .filter((segment) => segment !== "" && segment !== "v1")
    .flatMap((segment) => (segment.startsWith(":") ? ["by", segment.slice(1)] : segment.split(/[-_.]/)));
  return method.toLowerCase() + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}

/** What every route can answer besides its own outcomes, from how it is declared. */
function edgeStatuses(method: string, schema: RouteSchema, isPublic: boolean): number[] {
  // 503: a transient fault (a lost database connection) answers Retry-After instead of 500.
  const statuses = [400, 500, 503];
  if (!isPublic) statuses.push(401, 403);
  if (schema.params !== undefined) statuses.push(404, 414);
  if (BODY_METHODS.includes(method)) statuses.push(413, 415);
  return statuses;
}

const isProblemRef = (value: unknown): boolean => typeof value === "object" && value !== null && (value as Schema).$ref === "Problem";

function problemResponse(status: number) {
  return { description: STATUS_TITLES[status] ?? "Error", content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } } };
}

/**
 * Applies the API's conventions to every route as it is added, so routes written anywhere (including later ones)
 * get them without repeating them: an `operationId`; no security on public routes (`config.public`); unknown
 * query parameters refused (400 VALIDATION_FAILED) instead of ignored; and every error status the route can give
 * (its own, plus the edge's: validation, auth, size, media type, 500) documented as `application/problem+json`
 * with the Problem schema. Hidden routes (the docs UI) are left alone.
 */
export function registerRouteConventions(app: FastifyInstance): NamedSchemas {
  const named: NamedSchemas = new Map();
  app.addHook("onRoute", (route: RouteOptions) => {
    const schema = (route.schema ?? {}) as RouteSchema;
    if (schema.hide === true || route.url.startsWith("/docs")) return;
    const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
    if (method === "HEAD") return;
    const isPublic = route.config?.public === true;
    schema.operationId ??= operationIdFor(method, route.url);
    if (isPublic) schema.security = [];
    schema.querystring = { type: "object", properties: {}, ...schema.querystring, additionalProperties: false };
    const response: Record<string, unknown> = { ...schema.response };
    for (const status of edgeStatuses(method, schema, isPublic)) response[status] ??= PROBLEM_REF;
    for (const [status, entry] of Object.entries(response)) {
      if (Number(status) >= 400 && isProblemRef(entry)) response[status] = problemResponse(Number(status));
    }
    schema.response = response;
    route.schema = schema;
    const body = idOf(schema.body);
    const responses = Object.fromEntries(Object.entries(response).flatMap(([status, entry]) => (idOf(entry) === undefined ? [] : [[status, idOf(entry) as string]])));
    named.set(schema.operationId as string, { ...(body === undefined ? {} : { body }), responses });
  });
  return named;
}
