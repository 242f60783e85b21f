import { status } from "@grpc/grpc-js";

/** An error the emulator answers with a gRPC status, worded as the real service words it. */
export class ApiError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (resource: string): ApiError =>
  new ApiError(status.NOT_FOUND, `Resource not found (resource=${resource}).`);

export const alreadyExists = (resource: string): ApiError =>
  new ApiError(status.ALREADY_EXISTS, `Resource already exists in the project (resource=${resource}).`);

export const invalidArgument = (message: string): ApiError => new ApiError(status.INVALID_ARGUMENT, message);
