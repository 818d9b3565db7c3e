/** What is wrong with a config, where: the unit every check produces and every reporter prints. */
import { formatPath, type ConfigPath } from "./path.js";

/** A problem found at a path inside the document, before it is given a line or a variable name. */
export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
  /** Point at the key itself rather than its value (unknown keys, bad dimension names). */
  readonly atKey?: boolean;
}

/** Where an issue is in what the user wrote: a file position, or the environment variable that set it. */
export interface IssueLocation {
  readonly line?: number;
  readonly column?: number;
  readonly variable?: string;
}

/** The path of an error about the file as a whole (its size, how many errors it has). */
export const FILE_PATH = "(file)";
/** The path of a YAML syntax error. */
export const YAML_PATH = "(yaml)";

/** A located problem, as `validate-config --format json` prints it. */
export interface ConfigError {
  /** The file's path as given, or "environment" in heartbeat mode. */
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The environment variable that produced the value, in heartbeat mode. */
  readonly variable: string | undefined;
  /** `metrics[2].source.url`, or `(root)`. */
  readonly path: string;
  readonly message: string;
}

export type Locator = (issue: ConfigIssue) => IssueLocation;

export function locateIssue(file: string, issue: ConfigIssue, locate: Locator): ConfigError {
  const where = locate(issue);
  return {
    file,
    line: where.line,
    column: where.column,
    variable: where.variable,
    path: formatPath(issue.path),
    message: issue.message,
  };
}

/** `config.yaml:14:9: metrics[2].source.url: must be a string (got number)` — one line per error. */
export function formatConfigError(error: ConfigError): string {
  if (error.variable !== undefined) return `${error.file}: ${error.variable}: ${error.message}`;
  if (error.path === FILE_PATH && error.line === undefined) return `${error.file}: ${error.message}`;
  const position = error.line === undefined ? "" : `:${error.line}:${error.column ?? 1}`;
  return `${error.file}${position}: ${error.path}: ${error.message}`;
}

/** A warning as one line: `config.yaml:14:9: metrics[2].source.command[2]: warning: ...`. */
export function formatConfigWarning(warning: ConfigError): string {
  return formatConfigError({ ...warning, message: `warning: ${warning.message}` });
}

/** Errors in reading order: by line, then column; unplaced ones last, stable otherwise. */
export function sortErrors(errors: readonly ConfigError[]): ConfigError[] {
  return [...errors].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? Infinity) - (b.column ?? Infinity),
  );
}
