/** A value that `${VAR}` substitution produced: where, what was written, and what it became. */
import type { VariableReference } from "./interpolate.js";
import type { ConfigPath } from "./path.js";

export interface Substitution {
  readonly path: ConfigPath;
  /** The text as written in the file, `${VAR}` references and all. */
  readonly template: string;
  readonly value: string | number | boolean;
  /** The variables it used and their values. */
  readonly references: readonly VariableReference[];
}

/**
 * The values of the variables substituted into metrics' sources (a command's arguments, a URL, a
 * header): sources hide them from every log line, since that is where secrets are passed.
 */
export function sourceSecrets(substitutions: readonly Substitution[]): string[] {
  const secrets = new Set<string>();
  for (const { path, references } of substitutions) {
    if (path[0] !== "metrics" || path[2] !== "source") continue;
    for (const reference of references) secrets.add(reference.value);
  }
  return [...secrets];
}
