/** `${VAR}` and platform placeholders replaced in every string value of a parsed YAML document. */
import { Scalar, visit, type Document } from "yaml";
import type { Environment } from "../environment.js";
import { interpolate, typedSubstitution } from "./interpolate.js";
import type { ConfigIssue } from "./issue.js";
import type { PathSegment } from "./path.js";
import type { PlaceholderUse, PlatformValues } from "./placeholders.js";
import { sharedConfigSchema } from "./schema.js";
import { schemaTypesAt } from "./schema-types.js";
import type { Substitution } from "./substitution.js";
import { yamlPathOf } from "./yaml-path.js";

/**
 * Replaces `${VAR}` in every string value, in place; each unresolvable reference is an issue. A
 * quoted value stays text; an unquoted one takes the type the schema wants there (typedSubstitution).
 */
export function interpolateDocument(
  doc: Document,
  env: Environment,
  platform: PlatformValues | undefined,
): {
  issues: ConfigIssue[];
  substitutions: Substitution[];
  uses: (PlaceholderUse & { path: PathSegment[] })[];
} {
  const issues: ConfigIssue[] = [];
  const substitutions: Substitution[] = [];
  const uses: (PlaceholderUse & { path: PathSegment[] })[] = [];
  const schema = sharedConfigSchema();
  visit(doc, {
    Scalar(key, node, ancestry) {
      if (key === "key" || typeof node.value !== "string") return;
      const result = interpolate(node.value, env, platform);
      if (!result.ok) {
        issues.push({ path: yamlPathOf(ancestry, node), message: result.message });
        return;
      }
      if (result.value === node.value) return;
      const path = yamlPathOf(ancestry, node);
      for (const use of result.placeholders) uses.push({ ...use, path });
      const value =
        node.type === Scalar.PLAIN
          ? typedSubstitution(result.value, schemaTypesAt(schema, path))
          : result.value;
      substitutions.push({ path, template: node.value, value, references: result.references });
      node.value = value;
    },
  });
  return { issues, substitutions, uses };
}
