/** One validation path for every way a config is written: schema first, then the semantic checks. */
import { buildConfig, checkDuplicates, checkSemantics } from "./build.js";
import { issuesFromAjv } from "./errors.js";
import type { ConfigIssue } from "./issue.js";
import { schemaValidator } from "./schema.js";
import type { Config } from "./types.js";

export type Validation = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/** A plain JS value (from YAML or the environment) → a frozen Config, or every issue found. */
export function validateDocument(document: unknown, configOrigin: string): Validation {
  const validate = schemaValidator();
  const valid = validate(document);
  const schemaIssues = valid ? [] : issuesFromAjv(validate.errors ?? []);
  // A semantic issue at a path the schema already faulted would only repeat it.
  const faulted = new Set(schemaIssues.map((issue) => JSON.stringify(issue.path)));
  const semanticIssues = checkSemantics(document).filter((issue) => !faulted.has(JSON.stringify(issue.path)));
  const issues = [...schemaIssues, ...semanticIssues];
  if (!valid || issues.length > 0) return { ok: false, issues };
  const config = buildConfig(document, configOrigin);
  const duplicates = checkDuplicates(config);
  return duplicates.length > 0 ? { ok: false, issues: duplicates } : { ok: true, config };
}
