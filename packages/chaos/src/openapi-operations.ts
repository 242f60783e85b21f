/* eslint-disable @typescript-eslint/no-explicit-any -- an OpenAPI document is walked as plain JSON */

/** One operation of a served OpenAPI document, as the sweeps need it. */
export interface Operation {
  readonly method: string;
  /** The path template, e.g. `/v1/orders/{id}`. */
  readonly template: string;
  /** Path parameter names in order of appearance. */
  readonly pathParams: readonly string[];
  /** Required query parameters with a value their schema accepts. */
  readonly requiredQuery: Readonly<Record<string, string>>;
  /** The JSON request body's schema, when there is one ($refs resolved lazily by `exampleOf`). */
  readonly bodySchema: any;
  /** Server-sent event streams stay open; callers read them with a short deadline. */
  readonly streaming: boolean;
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Every operation of the document, in document order. */
export function operationsOf(document: any): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<any>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const parameters: any[] = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve(document, p));
      const requiredQuery: Record<string, string> = {};
      for (const p of parameters.filter((p) => p.in === "query" && p.required === true)) requiredQuery[p.name] = String(exampleOf(document, p.schema ?? {}));
      const content = resolve(document, operation.requestBody ?? {}).content ?? {};
      operations.push({
        method: method.toUpperCase(),
        template,
        pathParams: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
        requiredQuery,
        bodySchema: content["application/json"]?.schema,
        streaming: template.endsWith("/stream"),
      });
    }
  }
  return operations;
}

/** Fills a path template with `value(name, index)` for each parameter, percent-encoded. */
export function fillPath(template: string, value: (name: string, index: number) => string): string {
  let index = 0;
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value(name, index++)));
}

function resolve(document: any, node: any): any {
  let current = node;
  for (let depth = 0; current?.$ref !== undefined && depth < 10; depth += 1) {
    const path = String(current.$ref).replace(/^#\//, "").split("/");
    current = path.reduce((at: any, key) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], document);
  }
  return current;
}

/**
 * The smallest value a schema accepts, built from its shape: every required property, the first enum value or
 * variant, minimum lengths and bounds. `override` may answer a property by name first (e.g. an offer's token).
 */
export function exampleOf(document: any, node: any, override: (property: string) => unknown = () => undefined, depth = 0): unknown {
  const schema = resolve(document, node) ?? {};
  if (depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants) && variants.length > 0) return exampleOf(document, variants.find((v: any) => resolve(document, v)?.type !== "null") ?? variants[0], override, depth + 1);
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((part: any) => exampleOf(document, part, override, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        value[name] = override(name) ?? exampleOf(document, schema.properties?.[name] ?? {}, override, depth + 1);
      }
      return value;
    }
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(document, schema.items ?? {}, override, depth + 1));
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : Number(schema.exclusiveMinimum) + 1);
    case "boolean":
      return true;
    case "string":
      if (schema.format === "date-time") return new Date(0).toISOString();
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return {};
  }
}
