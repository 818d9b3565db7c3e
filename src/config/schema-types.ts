/**
 * Which JSON types the config schema allows at a place in a document: how an unquoted `${VAR}` is
 * typed (a number where the schema wants a number, text where it wants text).
 */
import type { ConfigPath } from "./path.js";

export type JsonType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";
type SchemaNode = Readonly<Record<string, unknown>>;

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as JsonType;
}

/** The node itself, its `$ref` target and the branches of oneOf/anyOf/allOf, flattened. */
function expand(root: SchemaNode, node: SchemaNode | undefined, out: SchemaNode[] = []): SchemaNode[] {
  if (node === undefined || out.includes(node)) return out;
  out.push(node);
  const ref = node.$ref;
  if (typeof ref === "string" && ref.startsWith("#/")) {
    let target: unknown = root;
    for (const key of ref.slice(2).split("/")) target = (target as SchemaNode | undefined)?.[key];
    expand(root, target as SchemaNode | undefined, out);
  }
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    const branches = node[key];
    if (Array.isArray(branches)) for (const branch of branches) expand(root, branch as SchemaNode, out);
  }
  return out;
}

function child(node: SchemaNode, segment: string | number): SchemaNode | undefined {
  if (typeof segment === "number") {
    const items = node.items;
    return typeof items === "object" && items !== null ? (items as SchemaNode) : undefined;
  }
  const property = (node.properties as Record<string, SchemaNode> | undefined)?.[segment];
  if (property !== undefined) return property;
  const additional = node.additionalProperties;
  return typeof additional === "object" && additional !== null ? (additional as SchemaNode) : undefined;
}

/** The types allowed at `path`; empty when the schema has no place there (an unknown key). */
export function schemaTypesAt(root: SchemaNode, path: ConfigPath): ReadonlySet<JsonType> {
  let nodes = expand(root, root);
  for (const segment of path) {
    const next: SchemaNode[] = [];
    for (const node of nodes) expand(root, child(node, segment), next);
    nodes = next;
  }
  const types = new Set<JsonType>();
  for (const node of nodes) {
    const declared = node.type;
    if (typeof declared === "string") types.add(declared as JsonType);
    if (Array.isArray(declared)) for (const type of declared) types.add(type as JsonType);
    if ("const" in node) types.add(jsonTypeOf(node.const));
    if (Array.isArray(node.enum)) for (const value of node.enum) types.add(jsonTypeOf(value));
  }
  return types;
}
