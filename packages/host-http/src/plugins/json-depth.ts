import type { FastifyInstance } from "fastify";
import { HttpProblem } from "../problems/problem.js";

/**
 * The deepest nesting a JSON body may have. The API's deepest document, a menu (categories, items, option groups,
 * options, prices), nests six levels; 32 leaves room for growth and stays far below the depth at which the recursive
 * walks over a body (parsing, schema validation, the storable-text check) overflow the stack and answer 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` opens more than `max` arrays or objects inside one another; one pass, strings skipped. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** Parses JSON bodies as fastify does, after refusing one nested deeper than MAX_JSON_DEPTH with 400 VALIDATION_FAILED. */
export function registerJsonDepthLimit(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
      done(new HttpProblem("VALIDATION_FAILED", `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH }), undefined);
      return;
    }
    void parse(request, body as string, done);
  });
}
