/** What a filter reads from a message: system properties (`sys.Label`) and application properties. */
export interface FilterableMessage {
  system(name: string): unknown;
  user(name: string): unknown;
}

/** A compiled SQL filter. */
export type SqlPredicate = (message: FilterableMessage) => boolean;

type Value = string | number | boolean | null | undefined;
type Operand = (message: FilterableMessage) => Value;
type Token = { kind: "word" | "string" | "number" | "symbol"; text: string };

const TOKEN = /\s*(?:(\[[^\]]+\])|('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|(<>|!=|<=|>=|[=<>(),])|([A-Za-z_$][\w$.-]*))/y;

/**
 * Compiles the subset of Service Bus SQL filter syntax that rules here need: comparisons (`=`, `<>`, `<`, `>`,
 * `<=`, `>=`), `[NOT] IN (...)`, `IS [NOT] NULL`, `EXISTS(name)`, `AND`, `OR`, `NOT`, parentheses, `sys.` and
 * `user.` prefixes. Anything else is rejected, as the service rejects a rule it cannot parse.
 */
export function compileSqlFilter(expression: string): SqlPredicate {
  const parser = new Parser(tokenize(expression), expression);
  const predicate = parser.expression();
  parser.end();
  return predicate;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (match === null) throw new Error(`SQL filter: cannot read "${expression.slice(at)}"`);
    const [, bracketed, quoted, number, symbol, word] = match;
    if (bracketed !== undefined) tokens.push({ kind: "word", text: bracketed.slice(1, -1) });
    else if (quoted !== undefined) tokens.push({ kind: "string", text: quoted.slice(1, -1).replaceAll("''", "'") });
    else if (number !== undefined) tokens.push({ kind: "number", text: number });
    else if (symbol !== undefined) tokens.push({ kind: "symbol", text: symbol });
    else if (word !== undefined) tokens.push({ kind: "word", text: word });
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
  ) {}

  expression(): SqlPredicate {
    let left = this.conjunction();
    while (this.keyword("OR")) {
      const [a, b] = [left, this.conjunction()];
      left = (m) => a(m) || b(m);
    }
    return left;
  }

  end(): void {
    if (this.position < this.tokens.length) this.fail(`unexpected "${this.tokens[this.position]?.text}"`);
  }

  private conjunction(): SqlPredicate {
    let left = this.negation();
    while (this.keyword("AND")) {
      const [a, b] = [left, this.negation()];
      left = (m) => a(m) && b(m);
    }
    return left;
  }

  private negation(): SqlPredicate {
    if (this.keyword("NOT")) {
      const inner = this.negation();
      return (m) => !inner(m);
    }
    return this.predicate();
  }

  private predicate(): SqlPredicate {
    if (this.symbol("(")) {
      const inner = this.expression();
      this.expect(")");
      return inner;
    }
    if (this.keyword("EXISTS")) {
      this.expect("(");
      const name = this.operand();
      this.expect(")");
      return (m) => name(m) !== undefined;
    }
    const left = this.operand();
    if (this.keyword("IS")) {
      const negated = this.keyword("NOT");
      if (!this.keyword("NULL")) this.fail("expected NULL after IS");
      return (m) => (left(m) == null) !== negated;
    }
    const negated = this.keyword("NOT");
    if (this.keyword("IN")) {
      this.expect("(");
      const options = [this.operand()];
      while (this.symbol(",")) options.push(this.operand());
      this.expect(")");
      return (m) => {
        const value = left(m);
        if (value == null) return false;
        return options.some((option) => option(m) === value) !== negated;
      };
    }
    if (negated) this.fail("expected IN after NOT");
    const operator = this.next("symbol").text;
    const right = this.operand();
    const compare = COMPARISONS[operator];
    if (compare === undefined) this.fail(`unknown operator "${operator}"`);
    return (m) => {
      const [a, b] = [left(m), right(m)];
      return a != null && b != null && compare(a, b);
    };
  }

  private operand(): Operand {
    const token = this.next();
    if (token.kind === "string") return () => token.text;
    if (token.kind === "number") return () => Number(token.text);
    if (token.kind !== "word") this.fail(`unexpected "${token.text}"`);
    const upper = token.text.toUpperCase();
    if (upper === "TRUE" || upper === "FALSE") return () => upper === "TRUE";
    if (upper === "NULL") return () => null;
    const [scope, ...rest] = token.text.split(".");
    if (rest.length > 0 && scope?.toLowerCase() === "sys") return (m) => m.system(rest.join(".")) as Value;
    const name = rest.length > 0 && scope?.toLowerCase() === "user" ? rest.join(".") : token.text;
    return (m) => m.user(name) as Value;
  }

  private keyword(word: string): boolean {
    const token = this.tokens[this.position];
    if (token?.kind !== "word" || token.text.toUpperCase() !== word) return false;
    this.position += 1;
    return true;
  }

  private symbol(text: string): boolean {
    const token = this.tokens[this.position];
    if (token?.kind !== "symbol" || token.text !== text) return false;
    this.position += 1;
    return true;
  }

  private expect(text: string): void {
    if (!this.symbol(text)) this.fail(`expected "${text}"`);
  }

  private next(kind?: Token["kind"]): Token {
    const token = this.tokens[this.position];
    if (token === undefined || (kind !== undefined && token.kind !== kind)) this.fail("unexpected end");
    this.position += 1;
    return token;
  }

  private fail(reason: string): never {
    throw new Error(`SQL filter "${this.source}": ${reason}`);
  }
}

type Comparable = string | number | boolean;
const COMPARISONS: Record<string, (a: Comparable, b: Comparable) => boolean> = {
  "=": (a, b) => a === b,
  "<>": (a, b) => a !== b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  ">": (a, b) => a > b,
  "<=": (a, b) => a <= b,
  ">=": (a, b) => a >= b,
};
