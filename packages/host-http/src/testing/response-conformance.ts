import { type Document, OpenAPIBackend, type Operation } from "openapi-backend";

/** One HTTP exchange as a client saw it. */
export interface Exchange {
  readonly method: string;
  /** The request path, query included. */
  readonly url: string;
  readonly status: number;
  readonly contentType: string | null;
  /** The parsed JSON body, or the text for other media types. */
  readonly body: unknown;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROBLEM = "application/problem+json";
const cache = new Map<string, Promise<ResponseConformance>>();
const mediaType = (contentType: string): string => (contentType.split(";")[0] ?? "").trim().toLowerCase();

/**
 * Checks responses against the API's own OpenAPI document with openapi-backend (routing and JSON Schema validation
 * by Ajv): the operation must document the status, the media type must be one it documents for that status, and a
 * JSON body must match the schema. openapi-backend validates `application/json` bodies only, so problem documents
 * are checked through a copy of the document that lists their schema under that media type as well. A response
 * to a request no operation matches (404, 405) must still be a valid problem document.
 */
export class ResponseConformance {
  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly document: Json,
    private readonly problemOperation: string,
  ) {}

  /** The checker for a document; built once per document (compiling every schema takes a while). */
  static of(document: unknown): Promise<ResponseConformance> {
    const key = JSON.stringify(document);
    let built = cache.get(key);
    if (built === undefined) {
      built = ResponseConformance.build(document);
      cache.set(key, built);
    }
    return built;
  }

  private static async build(document: unknown): Promise<ResponseConformance> {
    const original = structuredClone(document) as Json;
    const forValidation = structuredClone(document) as Json;
    let problemOperation: string | undefined;
    for (const operations of Object.values(forValidation.paths as Json)) {
      for (const operation of Object.values(operations as Json)) {
        for (const [status, response] of Object.entries((operation.responses ?? {}) as Json)) {
          const problem = response.content?.[PROBLEM];
          if (problem === undefined) continue;
          response.content["application/json"] ??= problem;
          if (status === "500") problemOperation ??= operation.operationId;
        }
      }
    }
    if (problemOperation === undefined) throw new Error("no operation documents a 500 problem response");
    // quick: compile each operation's validators when first used, not all up front.
    const api = new OpenAPIBackend({ definition: forValidation as Document, validate: true, strict: true, quick: true, ajvOpts: { strict: false } });
    await api.init();
    return new ResponseConformance(api, original, problemOperation);
  }

  /** What is wrong with the exchange; empty when it conforms. */
  violations(exchange: Exchange): string[] {
    const [path = "/", query = ""] = exchange.url.split("?");
    const operation = this.api.router.matchOperation({ method: exchange.method.toLowerCase(), path, headers: {}, query });
    const label = `${exchange.method} ${exchange.url} -> ${exchange.status}`;
    // A 405 answers a method no operation has on that path: routers disagree on which operation is "nearest".
    if (operation === undefined || exchange.status === 405) return this.unmatched(exchange, label);
    const documented = this.document.paths[operation.path]?.[operation.method]?.responses?.[String(exchange.status)];
    if (documented === undefined) return [`${label}: status not documented for ${operation.operationId}`];
    const media = exchange.contentType === null ? null : mediaType(exchange.contentType);
    const allowed = Object.keys((documented.content ?? {}) as Json).map(mediaType);
    if (allowed.length === 0) return media === null || exchange.body === "" ? [] : [`${label}: a body where none is documented`];
    if (media === null || !allowed.includes(media)) return [`${label}: content type ${exchange.contentType} is not one of ${allowed.join(", ")}`];
    if (media !== "application/json" && media !== PROBLEM) return [];
    return this.validate(exchange.body, operation, exchange.status, label);
  }

  /** Throws with every violation, for tests. */
  assert(exchange: Exchange): void {
    const found = this.violations(exchange);
    if (found.length > 0) throw new Error(`response does not conform to /openapi.json:\n${found.join("\n")}\nbody: ${JSON.stringify(exchange.body)}`);
  }

  private unmatched(exchange: Exchange, label: string): string[] {
    if (exchange.status < 400) return [`${label}: no documented operation answers this request`];
    if (exchange.contentType === null || mediaType(exchange.contentType) !== PROBLEM) return [`${label}: not ${PROBLEM}`];
    return this.validate(exchange.body, this.problemOperation, 500, label);
  }

  private validate(body: unknown, operation: Operation | string, status: number, label: string): string[] {
    const result = this.api.validateResponse(body, operation, status);
    return (result.errors ?? []).map((error: { instancePath?: string; message?: string }) => `${label}: ${error.instancePath || "(body)"} ${error.message ?? "invalid"}`);
  }
}
