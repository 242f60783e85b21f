import type { DomainError } from "@tiffin/core";
import { STATUS_TITLES, statusForCode } from "./problem-status.js";

/** An RFC 9457 problem document as the API sends it (`application/problem+json`). */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Thrown by routes to answer with a problem; the error handler renders it. */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }

  static from(error: DomainError): HttpProblem {
    return new HttpProblem(error.code, error.message, error.details);
  }
}

/** Builds the problem document for `code` at `instance` (the request path). */
export function problem(code: string, detail: string, instance: string, details?: Readonly<Record<string, unknown>>): ProblemDocument {
  const status = statusForCode(code);
  return {
    type: `https://tiffin.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: STATUS_TITLES[status] ?? "Error",
    status,
    detail,
    code,
    instance,
    ...(details === undefined ? {} : { details }),
  };
}
