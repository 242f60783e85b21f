import { findUnstorableText } from "@tiffin/core";
import type { FastifyInstance } from "fastify";
import { HttpProblem } from "../problems/problem.js";

/**
 * Refuses, on every route, a body, query or path parameter holding a string the stores cannot keep (NUL, a lone
 * surrogate): 400 VALIDATION_FAILED naming the field, before any handler runs, instead of a 500 from the database.
 */
export function registerStorableText(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    for (const [part, value] of [
      ["body", request.body],
      ["query", request.query],
      ["params", request.params],
    ] as const) {
      const field = findUnstorableText(value);
      if (field !== null) {
        throw new HttpProblem("VALIDATION_FAILED", `${part} ${field} holds NUL or a lone surrogate, which cannot be stored`, { field, in: part });
      }
    }
  });
}
