/** The README's table of config fields, generated from the schema so the two cannot drift apart. */
type SchemaNode = Record<string, unknown>;

function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  const target = ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((at, key) => (at as SchemaNode)[key], root);
  return { ...(target as SchemaNode), ...node, $ref: undefined };
}

function typeOf(node: SchemaNode): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.enum)) {
    return node.enum.length > 6
      ? "one of the CloudWatch units"
      : node.enum.map((v) => `\`${String(v)}\``).join(" or ");
  }
  if (Array.isArray(node.oneOf) && node.type === undefined)
    return (node.oneOf as SchemaNode[]).map(typeOf).join(" or ");
  if (node.type === "array") return "list";
  if (node.type === "object") return "map";
  // A field of either shape (prometheus `labels`: a list or a map).
  if (Array.isArray(node.type)) return (node.type as string[]).map((type) => typeOf({ type })).join(" or ");
  return typeof node.type === "string" ? node.type : "";
}

function describe(node: SchemaNode): string {
  return typeof node.description === "string" ? node.description : "";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A branch of a oneOf that is a set of fields (a source type), not one of a value's forms (a list or a map). */
function isObjectBranch(branch: SchemaNode): boolean {
  return typeof branch.properties === "object" && branch.properties !== null;
}

/** Markdown rows `| field | type | required | description |` for every field of the config. */
export function schemaTable(schema: SchemaNode): string {
  const rows: string[] = ["| Field | Type | Required | Description |", "| --- | --- | --- | --- |"];
  const walk = (node: SchemaNode, prefix: string): void => {
    const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
    const required = (node.required ?? []) as string[];
    for (const [name, raw] of Object.entries(properties)) {
      const child = resolve(schema, raw);
      const field = `${prefix}${name}`;
      const isRequired = required.includes(name) ? "yes" : "no";
      rows.push(`| \`${field}\` | ${typeOf(child)} | ${isRequired} | ${cell(describe(child))} |`);
      if (child.type === "array" && child.items !== undefined) {
        walk(resolve(schema, child.items as SchemaNode), `${field}[].`);
      } else if (Array.isArray(child.oneOf) && (child.oneOf as SchemaNode[]).every(isObjectBranch)) {
        for (const branch of child.oneOf as SchemaNode[]) {
          const type = ((branch.properties as Record<string, SchemaNode>).type?.const ?? "") as string;
          const fields = { ...branch, properties: { ...(branch.properties as SchemaNode), type: undefined } };
          delete (fields.properties as SchemaNode).type;
          rows.push(`| \`${field}\` (type \`${type}\`) | map | | ${cell(describe(branch))} |`);
          walk(fields, `${field}.`);
        }
      } else if (child.type === "object" && child.properties !== undefined) {
        walk(child, `${field}.`);
      }
    }
  };
  walk(schema, "");
  return `${rows.join("\n")}\n`;
}
