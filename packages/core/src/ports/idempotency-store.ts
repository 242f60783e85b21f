/** What a first request under an idempotency key produced, kept to answer its replays. */
export interface IdempotencyRecord {
  readonly scope: string;
  readonly key: string;
  /** A hash of the request (method, path, body) so a reuse with another request is detected. */
  readonly requestHash: string;
  /** What to answer a replay with, e.g. `{ status: 201, body }` or the created resource id. */
  readonly response: unknown;
  readonly createdAt: string;
}

export type IdempotencyClaim =
  | { readonly outcome: "claimed" }
  | { readonly outcome: "existing"; readonly record: IdempotencyRecord };

/**
 * Idempotency keys for client requests (HTTP `Idempotency-Key`), scoped per principal.
 * First writer wins: of concurrent claims of one (scope, key), exactly one is `claimed`; the rest see its
 * record once it committed (they wait for it rather than fail).
 */
export interface IdempotencyStore {
  /**
   * Claims (scope, key) in the caller's transaction with the response to replay, or returns the record a
   * previous request left. The caller compares `requestHash` to detect reuse with another request.
   */
  claim(record: IdempotencyRecord): Promise<IdempotencyClaim>;
}
