import type { AndNode, FilterExpression, OrNode, TargetPredicate } from "./ast.js";

/**
 * Prints a filter tree back as canonical source: single-quoted strings (backslash-escaped),
 * symbolic count operators, one space around operators, and parentheses only where the tree
 * differs from what precedence alone would give. `parseFilter(formatFilter(tree))` deep-equals
 * `tree`.
 *
 * @example
 * formatFilter(parseFilter("event.target.?[type eq 'User'].size()>0"));
 * // "event.target.?[type eq 'User'].size() > 0"
 */
export function formatFilter(expression: FilterExpression): string {
  switch (expression.kind) {
    case "and":
    case "or":
      return formatLogical(expression, formatFilter);
    case "field":
      return `${expression.field} ${expression.operator} ${quote(expression.value)}`;
    case "targetSelection":
      return `event.target.?[${formatPredicate(expression.predicate)}].size() ${expression.operator} ${expression.count}`;
  }
}

function formatPredicate(predicate: TargetPredicate): string {
  switch (predicate.kind) {
    case "and":
    case "or":
      return formatLogical(predicate, formatPredicate);
    case "targetField":
      return `${predicate.field} ${predicate.operator} ${quote(predicate.value)}`;
  }
}

function formatLogical<T extends { kind: string }>(
  node: AndNode<T> | OrNode<T>,
  format: (child: T) => string,
): string {
  const separator = node.kind === "and" ? " && " : " || ";
  return node.operands
    .map((child) => {
      // `&&` binds tighter, so only an `&&` child of `||` can go without parentheses.
      const bare = child.kind !== "and" && child.kind !== "or";
      const needsParens = !bare && !(node.kind === "or" && child.kind === "and");
      return needsParens ? `(${format(child)})` : format(child);
    })
    .join(separator);
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
