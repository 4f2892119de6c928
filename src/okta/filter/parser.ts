/**
 * Recursive-descent parser for the event hook filter subset of the Okta Expression Language
 * (shared spec §5.7). Grammar, `&&` binding tighter than `||`:
 *
 * ```
 * filter     := or EOF
 * or<L>      := and<L> ( "||" and<L> )*
 * and<L>     := operand<L> ( "&&" operand<L> )*
 * operand<L> := "(" or<L> ")" | L
 * eventLeaf  := eventField ("eq" | "ne") STRING
 *             | "event" "." "target" "." "?[" or<targetLeaf> "]" "." "size" "(" ")" countOp INTEGER
 * targetLeaf := ("id" | "type" | "alternateId" | "displayName") ("eq" | "ne") STRING
 * countOp    := ">" | ">=" | "<" | "<=" | "==" | "!=" | "eq" | "ne" | "gt" | "ge" | "lt" | "le"
 * ```
 */
import type {
  CountOperator,
  EventFieldPath,
  FilterExpression,
  StringOperator,
  TargetPredicate,
  TargetSelection,
} from "./ast.js";
import { EVENT_FIELD_PATHS, TARGET_FIELD_NAMES } from "./ast.js";
import { FilterSyntaxError } from "./errors.js";
import type { Token, TokenKind } from "./tokenizer.js";
import { tokenize } from "./tokenizer.js";

/**
 * Deepest allowed nesting of parentheses and selections. Far above anything a person writes;
 * it exists so hostile input fails with a syntax error instead of exhausting the stack.
 */
export const MAX_FILTER_NESTING = 64;

/** Longest token text quoted in an error message before it is cut with `…`. */
const QUOTE_LIMIT = 32;

const COUNT_OPERATORS: Readonly<Record<string, CountOperator>> = {
  ">": ">",
  ">=": ">=",
  "<": "<",
  "<=": "<=",
  "==": "==",
  "!=": "!=",
  eq: "==",
  ne: "!=",
  gt: ">",
  ge: ">=",
  lt: "<",
  le: "<=",
};

const COUNT_OPERATOR_NAMES = Object.keys(COUNT_OPERATORS).map((name) =>
  /^[a-z]/.test(name) ? name : `'${name}'`,
);

/**
 * Parses an event hook filter expression into its {@link FilterExpression} tree.
 *
 * Throws {@link FilterSyntaxError} (never anything else) when `source` is empty, not a string,
 * or outside the supported subset; the error names the 0-based position and what was expected.
 *
 * @example
 * parseFilter("event.target.?[type eq 'UserGroup'].size() > 0");
 * // { kind: "targetSelection", operator: ">", count: 0,
 * //   predicate: { kind: "targetField", field: "type", operator: "eq", value: "UserGroup" } }
 */
export function parseFilter(source: string): FilterExpression {
  if (typeof source !== "string") {
    throw new FilterSyntaxError({
      expression: "",
      position: 0,
      problem: `Filter expression is a ${source === null ? "null" : typeof source}`,
      expected: ["a string"],
    });
  }
  return new Parser(source).parse();
}

/** How one level of the language builds its nodes: the leaf condition and the `&&`/`||` node. */
interface Grammar<T> {
  leaf: () => T;
  combine: (kind: "and" | "or", operands: T[]) => T;
}

/** The only element of a one-element list, else `undefined`. */
function single<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parse(): FilterExpression {
    if (this.peek().kind === "eof") {
      throw new FilterSyntaxError({
        expression: this.source,
        position: 0,
        problem: "Empty filter expression",
        expected: ["a condition such as event.eventType eq '…'"],
      });
    }
    const expression = this.parseOr<FilterExpression>({
      leaf: () => this.parseEventLeaf(),
      combine: (kind, operands) => ({ kind, operands }),
    });
    this.expect("eof", ["'&&'", "'||'", "end of input"]);
    return expression;
  }

  private parseOr<T>(grammar: Grammar<T>): T {
    const operands = [this.parseAnd(grammar)];
    while (this.peek().kind === "or") {
      this.advance();
      operands.push(this.parseAnd(grammar));
    }
    return single(operands) ?? grammar.combine("or", operands);
  }

  private parseAnd<T>(grammar: Grammar<T>): T {
    const operands = [this.parseOperand(grammar)];
    while (this.peek().kind === "and") {
      this.advance();
      operands.push(this.parseOperand(grammar));
    }
    return single(operands) ?? grammar.combine("and", operands);
  }

  private parseOperand<T>(grammar: Grammar<T>): T {
    if (this.peek().kind !== "lparen") return grammar.leaf();
    this.enter();
    this.advance();
    const inner = this.parseOr(grammar);
    this.expect("rparen", ["'&&'", "'||'", "')'"]);
    this.depth -= 1;
    return inner;
  }

  private parseEventLeaf(): FilterExpression {
    this.expectWord(["event"], ["event", "'('"]);
    let path = "event";
    for (;;) {
      this.expect("dot", ["'.'"]);
      const options = NEXT_SEGMENTS.get(path) ?? [];
      const segment = this.peek();
      if (segment.kind !== "word" || !options.includes(segment.text)) {
        const problem =
          segment.kind === "word" ? `Unknown field '${path}.${segment.text}'` : undefined;
        this.fail(segment, options, problem);
      }
      this.advance();
      path = `${path}.${segment.text}`;
      if (path === "event.target") return this.parseTargetSelection();
      if (isEventFieldPath(path)) {
        return { kind: "field", field: path, ...this.parseStringComparison() };
      }
    }
  }

  private parseTargetSelection(): TargetSelection {
    this.expect("dot", ["'.'"]);
    const open = this.peek();
    if (open.kind !== "select") {
      this.fail(open, ["'?[' (event.target is a list: select from it with .?[ … ].size())"]);
    }
    this.enter();
    this.advance();
    const predicate = this.parseOr<TargetPredicate>({
      leaf: () => this.parseTargetLeaf(),
      combine: (kind, operands) => ({ kind, operands }),
    });
    this.expect("rbracket", ["'&&'", "'||'", "']'"]);
    this.depth -= 1;
    this.expect("dot", ["'.'"]);
    this.expectWord(["size"], ["size"]);
    this.expect("lparen", ["'('"]);
    this.expect("rparen", ["')'"]);
    const operatorToken = this.peek();
    const operator =
      operatorToken.kind === "compare" || operatorToken.kind === "word"
        ? COUNT_OPERATORS[operatorToken.text]
        : undefined;
    if (operator === undefined) this.fail(operatorToken, COUNT_OPERATOR_NAMES);
    this.advance();
    const countToken = this.expect("number", ["a non-negative integer"]);
    const count = Number(countToken.text);
    if (!Number.isSafeInteger(count)) {
      this.fail(countToken, [`an integer up to ${Number.MAX_SAFE_INTEGER}`], "Integer too large");
    }
    return { kind: "targetSelection", predicate, operator, count };
  }

  private parseTargetLeaf(): TargetPredicate {
    const name = this.peek();
    const field = TARGET_FIELD_NAMES.find((candidate) => candidate === name.text);
    if (name.kind !== "word" || field === undefined) {
      this.fail(name, [...TARGET_FIELD_NAMES, "'('"]);
    }
    this.advance();
    return { kind: "targetField", field, ...this.parseStringComparison() };
  }

  private parseStringComparison(): { operator: StringOperator; value: string } {
    const operator = this.expectWord(["eq", "ne"], ["eq", "ne"]).text === "eq" ? "eq" : "ne";
    const value = this.expect("string", ["a string literal"]).value;
    return { operator, value };
  }

  private enter(): void {
    this.depth += 1;
    if (this.depth > MAX_FILTER_NESTING) {
      this.fail(this.peek(), [`at most ${MAX_FILTER_NESTING} levels`], "Nesting too deep");
    }
  }

  /** The current token; a lexical error surfaces here, when the parser reaches it. */
  private peek(): Token {
    const token = this.tokens[this.index] ?? this.tokens[this.tokens.length - 1];
    if (token === undefined) throw new Error("tokenize() returned no tokens");
    if (token.kind === "invalid") {
      throw new FilterSyntaxError({
        expression: this.source,
        position: token.position,
        problem: token.problem ?? "Invalid input",
        expected: token.expected ?? [],
      });
    }
    return token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.index += 1;
    return token;
  }

  private expect(kind: TokenKind, expected: readonly string[]): Token {
    const token = this.peek();
    if (token.kind !== kind) this.fail(token, expected);
    return this.advance();
  }

  private expectWord(words: readonly string[], expected: readonly string[]): Token {
    const token = this.peek();
    if (token.kind !== "word" || !words.includes(token.text)) this.fail(token, expected);
    return this.advance();
  }

  private fail(token: Token, expected: readonly string[], problem?: string): never {
    throw new FilterSyntaxError({
      expression: this.source,
      position: token.position,
      problem: problem ?? `Unexpected ${describeToken(token)}`,
      expected,
    });
  }
}

/** For each prefix of a field path, the names that may follow it (`event.` also allows `target`). */
const NEXT_SEGMENTS: ReadonlyMap<string, readonly string[]> = buildSegmentTable();

function buildSegmentTable(): Map<string, string[]> {
  const table = new Map<string, string[]>([["event", ["target"]]]);
  for (const path of EVENT_FIELD_PATHS) {
    const segments = path.split(".");
    for (let i = 1; i < segments.length; i += 1) {
      const prefix = segments.slice(0, i).join(".");
      const next = segments[i] ?? "";
      const names = table.get(prefix) ?? [];
      if (!names.includes(next)) names.push(next);
      table.set(prefix, names);
    }
  }
  // Keep `target` last, after the plain fields, as the error messages list them.
  const top = table.get("event") ?? [];
  table.set("event", [...top.filter((name) => name !== "target"), "target"]);
  return table;
}

function isEventFieldPath(path: string): path is EventFieldPath {
  return (EVENT_FIELD_PATHS as readonly string[]).includes(path);
}

function describeToken(token: Token): string {
  const text =
    token.text.length > QUOTE_LIMIT ? `${token.text.slice(0, QUOTE_LIMIT)}…` : token.text;
  switch (token.kind) {
    case "eof":
      return "end of input";
    case "word":
      return `token '${text}'`;
    case "string":
      return `string literal ${text}`;
    case "number":
      return `number ${text}`;
    default:
      return `'${text}'`;
  }
}
