/** A config file → the frozen Config, or every error with its line and column. */
import { readFile } from "node:fs/promises";
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  Scalar,
  type Document,
  type Node as YamlNode,
} from "yaml";
import { fileProblem } from "../file-problem.js";
import { ConfigFileError } from "./file-error.js";
import { ENV_ORIGIN, pathKey, withEnvironmentSettings } from "./environment.js";
import { interpolate, retypePlain, type Environment } from "./interpolate.js";
import { locateIssue, sortErrors, type ConfigError, type ConfigIssue, type IssueLocation } from "./issue.js";
import type { PathSegment } from "./path.js";
import { yamlPathOf } from "./yaml-path.js";
import { maskSlips, unmaskSlips } from "./yaml-slips.js";
import type { Config } from "./types.js";
import { validateDocument } from "./validate.js";

export { ConfigFileError };

export type LoadResult = { ok: true; config: Config } | { ok: false; errors: ConfigError[] };

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

/** Replaces `${VAR}` in every string value, in place; each unresolvable reference is an issue. */
function interpolateDocument(doc: Document, env: Environment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Scalar(key, node, ancestry) {
      if (key === "key" || typeof node.value !== "string") return;
      const result = interpolate(node.value, env);
      if (!result.ok) {
        issues.push({ path: yamlPathOf(ancestry, node), message: result.message });
        return;
      }
      if (result.value === node.value) return;
      node.value = node.type === Scalar.PLAIN ? retypePlain(result.value) : result.value;
    },
  });
  return issues;
}

/** Parses and validates config text; `file` names it in messages. Pure but for `env`. */
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

export function loadConfigText(text: string, file: string, env: Environment): LoadResult {
  const { doc, lines, slips } = parseWithSlips(text);
  const locate = (issue: ConfigIssue): IssueLocation => positionOf(doc, lines, issue);
  const located = (issues: ConfigIssue[]) => issues.map((issue) => locateIssue(file, issue, locate));
  const fail = (issues: ConfigIssue[]): LoadResult => ({ ok: false, errors: sortErrors(located(issues)) });
  if (doc.errors.length > 0) {
    const syntax = doc.errors.map((error): ConfigError => {
      const { line, col } = lines.linePos(error.pos[0]);
      const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return {
        file,
        line,
        column: col,
        variable: undefined,
        path: "(yaml)",
        message: `YAML syntax: ${message}`,
      };
    });
    return { ok: false, errors: sortErrors([...syntax, ...located(slips)]) };
  }

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return fail([{ path: [], message: 'the file is empty; it needs at least a "metrics" list' }]);
  }
  // Validate even when a substitution failed, so every error is reported in one run; only issues
  // about the value left unsubstituted are dropped, since the substitution error explains them.
  const substitution = interpolateDocument(doc, env);
  const { document, variables } = withEnvironmentSettings(doc.toJS({ maxAliasCount: 1000 }), env);
  const result = validateDocument(document, file);
  if (result.ok && substitution.length === 0 && slips.length === 0) return result;
  const failedPaths = substitution.map((issue) => JSON.stringify(issue.path));
  const others = result.ok ? [] : result.issues.filter((i) => !failedPaths.includes(JSON.stringify(i.path)));
  // A value an environment variable supplied is not in the file: its error names the variable.
  const fromEnv = others.filter((issue) => variables.has(pathKey(issue.path)));
  const inFile = [...slips, ...substitution, ...others.filter((issue) => !fromEnv.includes(issue))];
  return {
    ok: false,
    errors: [
      ...sortErrors(located(inFile)),
      ...fromEnv.map((issue) =>
        locateIssue(ENV_ORIGIN, issue, () => ({ variable: variables.get(pathKey(issue.path))! })),
      ),
    ],
  };
}

/** Reads and loads a file. Throws ConfigFileError only when the file cannot be read. */
export async function loadConfigFile(file: string, env: Environment): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    // `docker run -v "$PWD/config.yaml:..."` with no such file makes Docker create a directory there.
    const reason =
      (cause as NodeJS.ErrnoException).code === "EISDIR"
        ? `${fileProblem(cause)}; when the file named in docker run -v does not exist, Docker creates an empty directory in its place: remove that directory (rmdir), create the file, then start the container again`
        : fileProblem(cause);
    throw new ConfigFileError(file, reason, { cause });
  }
  return loadConfigText(text, file, env);
}
