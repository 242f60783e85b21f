import { Buffer } from "node:buffer";
import { invalidArgument } from "./api-error.js";

/** A compiled subscription filter: true when the message's attributes match. */
export type AttributeFilter = (attributes: Readonly<Record<string, string>>) => boolean;

const MAX_FILTER_BYTES = 256;

type Token =
  | { kind: "word"; text: string }
  | { kind: "string"; text: string }
  | { kind: "punct"; text: "(" | ")" | "," | "." | ":" | "=" | "!=" };

/**
 * Compiles the documented filter language (https://cloud.google.com/pubsub/docs/subscription-message-filter):
 * `attributes:KEY`, `attributes.KEY = "v"`, `attributes.KEY != "v"`, `hasPrefix(attributes.KEY, "p")`, combined with
 * `AND`, `OR`, `NOT` (or `-`) and parentheses. As in the service, `AND` and `OR` cannot be mixed without parentheses,
 * and a filter is at most 256 bytes. Anything else is INVALID_ARGUMENT.
 */
export function compileFilter(source: string): AttributeFilter {
  if (source.trim() === "") return () => true;
  if (Buffer.byteLength(source) > MAX_FILTER_BYTES) throw invalidArgument(`Invalid filter: longer than ${MAX_FILTER_BYTES} bytes.`);
  const parser = new FilterParser(tokenize(source), source);
  const filter = parser.expression();
  parser.end();
  return filter;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? "";
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"') {
      let text = "";
      i += 1;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === "\\") i += 1;
        text += source[i] ?? "";
        i += 1;
      }
      if (i >= source.length) throw invalidArgument(`Invalid filter: unterminated string in ${source}`);
      i += 1;
      tokens.push({ kind: "string", text });
    } else if (c === "!" && source[i + 1] === "=") {
      tokens.push({ kind: "punct", text: "!=" });
      i += 2;
    } else if ("(),.:=".includes(c)) {
      tokens.push({ kind: "punct", text: c as "(" });
      i += 1;
    } else if (c === "-") {
      tokens.push({ kind: "word", text: "NOT" });
      i += 1;
    } else if (/[A-Za-z0-9_]/.test(c)) {
      const match = /^[A-Za-z0-9_]+/.exec(source.slice(i))?.[0] ?? c;
      tokens.push({ kind: "word", text: match });
      i += match.length;
    } else {
      throw invalidArgument(`Invalid filter: unexpected character '${c}' in ${source}`);
    }
  }
  return tokens;
}

class FilterParser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  expression(): AttributeFilter {
    const first = this.unary();
    const op = this.peekWord();
    if (op !== "AND" && op !== "OR") return first;
    const terms = [first];
    while (this.peekWord() === op) {
      this.at += 1;
      terms.push(this.unary());
    }
    const other = op === "AND" ? "OR" : "AND";
    if (this.peekWord() === other) this.fail(`${op} and ${other} need parentheses to be combined`);
    return op === "AND" ? (a) => terms.every((t) => t(a)) : (a) => terms.some((t) => t(a));
  }

  end(): void {
    if (this.at < this.tokens.length) this.fail("unexpected trailing input");
  }

  private unary(): AttributeFilter {
    if (this.peekWord() === "NOT") {
      this.at += 1;
      const inner = this.unary();
      return (a) => !inner(a);
    }
    if (this.peekPunct("(")) {
      this.at += 1;
      const inner = this.expression();
      this.expectPunct(")");
      return inner;
    }
    if (this.peekWord() === "hasPrefix") {
      this.at += 1;
      this.expectPunct("(");
      const key = this.attributeKey(".");
      this.expectPunct(",");
      const prefix = this.stringLiteral();
      this.expectPunct(")");
      return (a) => a[key]?.startsWith(prefix) ?? false;
    }
    if (this.peekWord() !== "attributes") this.fail("expected attributes, hasPrefix, NOT or (");
    this.at += 1;
    if (this.peekPunct(":")) {
      this.at += 1;
      const key = this.keyName();
      return (a) => Object.hasOwn(a, key);
    }
    this.expectPunct(".");
    const key = this.keyName();
    if (this.peekPunct("=")) {
      this.at += 1;
      const value = this.stringLiteral();
      return (a) => a[key] === value;
    }
    if (this.peekPunct("!=")) {
      this.at += 1;
      const value = this.stringLiteral();
      // As documented: `!=` also matches messages without the attribute.
      return (a) => a[key] !== value;
    }
    return this.fail("expected = or != after an attribute");
  }

  private attributeKey(separator: "."): string {
    if (this.peekWord() !== "attributes") this.fail("expected attributes");
    this.at += 1;
    this.expectPunct(separator);
    return this.keyName();
  }

  private keyName(): string {
    const token = this.tokens[this.at];
    if (token?.kind === "word" || token?.kind === "string") {
      this.at += 1;
      return token.text;
    }
    return this.fail("expected an attribute key");
  }

  private stringLiteral(): string {
    const token = this.tokens[this.at];
    if (token?.kind !== "string") this.fail("expected a quoted string");
    this.at += 1;
    return (token as { text: string }).text;
  }

  private peekWord(): string | undefined {
    const token = this.tokens[this.at];
    return token?.kind === "word" ? token.text : undefined;
  }

  private peekPunct(text: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === "punct" && token.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.peekPunct(text)) this.fail(`expected '${text}'`);
    this.at += 1;
  }

  private fail(why: string): never {
    throw invalidArgument(`Invalid filter: ${why} (filter=${this.source}).`);
  }
}
