/** A config file → the frozen Config, or every error with its line and column. */
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
} from "yaml";
import { ConfigFileError } from "./file-error.js";
import { ENV_ORIGIN, pathKey, withEnvironmentSettings } from "./environment-settings.js";
import { ConfigTooLargeError, readConfigFile } from "./read-config-file.js";
import { interpolateDocument } from "./interpolate-document.js";
import type { PlaceholderUse, PlatformValues } from "./placeholders.js";
import type { Environment } from "../environment.js";
import {
  FILE_PATH,
  locateIssue,
  sortErrors,
  YAML_PATH,
  type ConfigError,
  type ConfigIssue,
  type IssueLocation,
} from "./issue.js";
import { hideSubstitutedValues } from "./hide-substituted-values.js";
import type { PathSegment } from "./path.js";
import { shellSubstitutionWarnings } from "./shell-substitution.js";
import { sourceSecrets } from "./substitution.js";
import { maskSlips, unmaskSlips } from "./yaml-slips.js";
import type { Config } from "./types.js";
import { MAX_REPORTED_ERRORS, validateDocument } from "./validate.js";

export { ConfigFileError };

/** Where an error about the file as a whole is: no line, no field. */
const FILE_PLACE = { line: undefined, column: undefined, variable: undefined, path: FILE_PATH } as const;

/**
 * How many times YAML aliases may be expanded (the yaml package's maxAliasCount): more is an alias
 * bomb, a few lines that expand to gigabytes.
 */
export const MAX_ALIAS_COUNT = 1000;

/**
 * `moreErrors`: more were found than the MAX_REPORTED_ERRORS listed (the last error says so).
 * `warnings`: what is allowed but unwise (a `${VAR}` inside a shell script), valid or not.
 */
export type LoadResult =
  | { ok: true; config: Config; warnings?: ConfigError[]; placeholders?: PlaceholderSite[] }
  | { ok: false; errors: ConfigError[]; moreErrors?: boolean; warnings?: ConfigError[] };

/** A `${aws:...}`/`${ecs:...}` placeholder of the config and where it is ("config.yaml line 7"). */
export interface PlaceholderSite extends PlaceholderUse {
  readonly where: string;
}

/** Finds the node a path names, or the nearest ancestor that exists, for its position. */
function nodeAt(doc: Document, path: readonly PathSegment[], atKey: boolean): YamlNode | undefined {
  let node: unknown = doc.contents;
  for (const [i, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!isPair(pair)) break;
      if (atKey && i === path.length - 1) return pair.key as YamlNode;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
    } else {
      break;
    }
  }
  return (node ?? undefined) as YamlNode | undefined;
}

function positionOf(doc: Document, lines: LineCounter, issue: ConfigIssue): IssueLocation {
  const node = nodeAt(doc, issue.path, issue.atKey === true);
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** Where the first alias is: an alias bomb is reported there. */
function aliasBombError(doc: Document, lines: LineCounter, file: string): ConfigError {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return yamlError(
    file,
    lines,
    offset,
    `YAML aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies, which looks like an "alias bomb"; write the values out instead`,
  );
}

/** An error about the YAML itself, at a character offset of the text. */
function yamlError(file: string, lines: LineCounter, offset: number, message: string): ConfigError {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col, variable: undefined, path: YAML_PATH, message };
}

/** The text as a YAML document with positions. */
function parseYaml(text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { doc, lines };
}

/** Parses, and when that fails, parses again with the usual slips masked (see yaml-slips.ts). */
function parseWithSlips(text: string): { doc: Document; lines: LineCounter; slips: ConfigIssue[] } {
  const first = parseYaml(text);
  const masked = first.doc.errors.length > 0 ? maskSlips(text) : undefined;
  if (masked === undefined) return { ...first, slips: [] };
  const second = parseYaml(masked.text);
  if (second.doc.errors.length >= first.doc.errors.length) return { ...first, slips: [] };
  return { ...second, slips: unmaskSlips(second.doc, masked, text) };
}

/**
 * Parses and validates config text; `file` names it in messages. Pure but for `env`. `platform`: the
 * placeholder values read at start; without it placeholders stand for typical values (no network).
 */
export function loadConfigText(
  text: string,
  file: string,
  env: Environment,
  platform?: PlatformValues,
): LoadResult {
  const { doc, lines, slips } = parseWithSlips(text);
  const locate = (issue: ConfigIssue): IssueLocation => positionOf(doc, lines, issue);
  const located = (issues: readonly ConfigIssue[]) => issues.map((issue) => locateIssue(file, issue, locate));
  if (doc.errors.length > 0) {
    const syntax = doc.errors.map((error) => {
      const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return yamlError(file, lines, error.pos[0], `YAML syntax: ${message}`);
    });
    return { ok: false, errors: sortErrors([...syntax, ...located(slips)]) };
  }
  /** In-file errors first, in reading order, capped; then those about values the environment supplied. */
  const fail = (inFile: ConfigIssue[], fromEnv: ConfigError[] = []): LoadResult => {
    const errors = [...sortErrors(located(inFile.slice(0, MAX_REPORTED_ERRORS))), ...fromEnv];
    if (inFile.length <= MAX_REPORTED_ERRORS) return { ok: false, errors };
    errors.push({
      ...FILE_PLACE,
      file,
      message: `more errors were found than the ${MAX_REPORTED_ERRORS} listed; fix these, then check again`,
    });
    return { ok: false, errors, moreErrors: true };
  };

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return fail([{ path: [], message: 'the file is empty; it needs at least a "metrics" list' }]);
  }
  // Validate even when a substitution failed, so every error is reported in one run; only issues
  // about the value left unsubstituted are dropped, since the substitution error explains them.
  const { issues: substitution, substitutions, uses } = interpolateDocument(doc, env, platform);
  let parsed: unknown;
  try {
    parsed = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    // yaml's "Excessive alias count indicates a resource exhaustion attack"
    return { ok: false, errors: [aliasBombError(doc, lines, file)] };
  }
  const { document, variables } = withEnvironmentSettings(parsed, env);
  const result = validateDocument(document, file, sourceSecrets(substitutions));
  const warnings = shellSubstitutionWarnings(document, substitutions).map((issue) =>
    locateIssue(file, issue, locate),
  );
  const withWarnings = <T extends LoadResult>(loaded: T): T =>
    warnings.length > 0 ? { ...loaded, warnings } : loaded;
  if (result.ok && substitution.length === 0 && slips.length === 0) {
    const placeholders = uses.map(({ path, ...use }) => ({
      ...use,
      where: `${file} line ${positionOf(doc, lines, { path, message: "" }).line}`,
    }));
    return withWarnings({ ok: true, config: result.config, ...(uses.length > 0 ? { placeholders } : {}) });
  }
  const failedPaths = new Set(substitution.map((issue) => JSON.stringify(issue.path)));
  const others = result.ok ? [] : result.issues.filter((i) => !failedPaths.has(JSON.stringify(i.path)));
  // A value an environment variable supplied is not in the file: its error names the variable.
  const fromEnv = others.filter((issue) => variables.has(pathKey(issue.path)));
  const inFile = others.filter((issue) => !fromEnv.includes(issue));
  return withWarnings(
    fail(
      [...slips, ...substitution, ...hideSubstitutedValues(inFile, substitutions)],
      hideSubstitutedValues(fromEnv, substitutions).map((issue) =>
        locateIssue(ENV_ORIGIN, issue, () => ({ variable: variables.get(pathKey(issue.path))! })),
      ),
    ),
  );
}

/**
 * Reads and loads a file. Throws ConfigFileError only when the file cannot be read (or is not a
 * regular file); a file over the size limit is an invalid config.
 */
export async function loadConfigFile(
  file: string,
  env: Environment,
  platform?: PlatformValues,
): Promise<LoadResult> {
  let text: string;
  try {
    text = await readConfigFile(file);
  } catch (error) {
    if (!(error instanceof ConfigTooLargeError)) throw error;
    return { ok: false, errors: [{ ...FILE_PLACE, file, message: error.message }] };
  }
  return loadConfigText(text, file, env, platform);
}
