import { status, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { ApiError } from "./api-error.js";

/** Turns a thrown ApiError into its gRPC status and anything else into INTERNAL. */
export function toStatus(error: unknown): { code: status; details: string } {
  if (error instanceof ApiError) return { code: error.code, details: error.message };
  return { code: status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}

/** A unary gRPC handler from a function that returns the response or throws. */
export function unary<Req, Res>(
  handle: (request: Req) => Res | Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(error)),
      );
  };
}

/** A page of a list and the token of the next one, as the List* methods return them. */
export function page<T>(items: readonly T[], pageSize: number, pageToken: string): { items: T[]; nextPageToken: string } {
  const start = pageToken === "" ? 0 : Number(pageToken);
  const size = pageSize > 0 ? pageSize : 100;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : "";
  return { items: slice, nextPageToken: next };
}
