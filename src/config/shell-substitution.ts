/**
 * `["sh", "-c", "ls ${DATA_DIR} | wc -l"]` puts the variable's value into the script itself, so a
 * value holding `;`, `$( )` or a quote runs as shell code. Such a use is warned about (not refused:
 * the author may trust the value) with the safe forms: pass the value as an argument of the script,
 * or let the shell read the variable from its environment, which the command inherits.
 */
import type { ConfigIssue } from "./issue.js";
import type { Substitution } from "./substitution.js";

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "fish"]);
/** `${NAME` not preceded by another `$` (which makes it a literal), and not a `${aws:...}` placeholder. */
const REFERENCE = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_]|:[A-Za-z])/g;

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The index of the script in a shell's argv (`sh -c SCRIPT`, `bash -eu -o pipefail -c SCRIPT`), or -1. */
export function shellScriptIndex(argv: readonly unknown[]): number {
  let i = 0;
  if (basename(String(argv[0])) === "busybox") i = 1;
  if (!SHELLS.has(basename(String(argv[i])))) return -1;
  let command = false;
  for (i += 1; i < argv.length; i++) {
    const arg = String(argv[i]);
    if (arg === "-o" || arg === "+o") {
      i += 1; // its option name
    } else if (/^[-+][A-Za-z]+$/.test(arg)) {
      if (arg.startsWith("-") && arg.includes("c")) command = true;
    } else {
      return command ? i : -1;
    }
  }
  return -1;
}

export function shellSubstitutionWarnings(
  document: unknown,
  substitutions: readonly Substitution[],
): ConfigIssue[] {
  const metrics = (document as { metrics?: unknown } | null)?.metrics;
  if (!Array.isArray(metrics)) return [];
  const issues: ConfigIssue[] = [];
  for (const { path, template } of substitutions) {
    const [root, index, source, key, argument] = path;
    if (root !== "metrics" || source !== "source" || key !== "command" || typeof index !== "number") continue;
    const argv = (metrics[index] as { source?: { command?: unknown } } | undefined)?.source?.command;
    if (!Array.isArray(argv) || argument !== shellScriptIndex(argv)) continue;
    const names = [...new Set([...template.matchAll(REFERENCE)].map((match) => match[1]!))];
    for (const name of names) {
      issues.push({
        path,
        message: `\${${name}} is put into the shell script itself, so its value runs as shell code if it holds ; $( ) or quotes; pass it as an argument instead, e.g. ["sh", "-c", "ls \\"$1\\" | wc -l", "sh", "\${${name}}"], or let the shell read the variable: "ls \\"$${name}\\" | wc -l"`,
      });
    }
  }
  return issues;
}
