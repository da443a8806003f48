/** The syntax tree @grafana/lezer-logql builds, and the few ways the LogQL rules read it. */
import { parser } from "@grafana/lezer-logql";

/** A node of the tree (lezer's SyntaxNode, named through the parser so @lezer/common stays an indirect dependency). */
export type LogqlNode = ReturnType<typeof parser.parse>["topNode"];

export function parseTree(query: string): LogqlNode {
  return parser.parse(query).topNode;
}

export function textOf(node: LogqlNode, query: string): string {
  return query.slice(node.from, node.to);
}

/** The first node named `name` in the subtree (the node itself included), depth first. */
export function findNode(root: LogqlNode, name: string): LogqlNode | undefined {
  let found: LogqlNode | undefined;
  root.cursor().iterate((ref) => {
    if (found) return false;
    if (ref.name === name) found = ref.node;
    return undefined;
  });
  return found;
}

/** Every node of the subtree, in document order. */
export function allNodes(root: LogqlNode): LogqlNode[] {
  const nodes: LogqlNode[] = [];
  root.cursor().iterate((ref) => {
    nodes.push(ref.node);
  });
  return nodes;
}

/** `((x))` → `x`: the grammar wraps a parenthesised metric query in one more MetricExpr. */
export function withoutParentheses(metric: LogqlNode): LogqlNode {
  let node = metric;
  while (node.name === "MetricExpr" && node.firstChild?.name === "MetricExpr") node = node.firstChild;
  return node;
}
