import { type DomainError, domainError } from "../../domain/result.js";

/** Stable codes for failures every use case can return, whatever its area. */
export const ApplicationErrorCode = {
  ValidationFailed: "VALIDATION_FAILED",
  Forbidden: "FORBIDDEN",
  NotFound: "NOT_FOUND",
} as const;
export type ApplicationErrorCode = (typeof ApplicationErrorCode)[keyof typeof ApplicationErrorCode];

export type ValidationFailed = DomainError<"VALIDATION_FAILED">;
export type Forbidden = DomainError<"FORBIDDEN">;
/** Also what another tenant's resource looks like: a caller cannot tell "not yours" from "not there". */
export type NotFound = DomainError<"NOT_FOUND">;

export const validationFailed = (message: string, details?: Record<string, unknown>): ValidationFailed =>
  domainError(ApplicationErrorCode.ValidationFailed, message, details);

export const forbidden = (message: string): Forbidden => domainError(ApplicationErrorCode.Forbidden, message);

export const notFound = (resource: string, id: string): NotFound =>
  domainError(ApplicationErrorCode.NotFound, `${resource} ${id} not found`, { resource, id });
