/**
 * The README's walk-throughs, as a new user would type them. A shell block is run when the line before it
 * (a blank line between is fine) is `<!-- walkthrough: host -->` or `<!-- walkthrough: docker -->`, with
 * ` exit=N` when it is meant to fail; `<!-- walkthrough: output -->` before a ```text or ```json block
 * says that block is what the previous step prints on stdout. The steps of one walk-through run in order,
 * each in its own bash with `set -eo pipefail`, carrying the working directory and exported variables
 * from one to the next as a terminal would.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { offPlatform, REPO_ROOT } from "./cli.js";

export type Target = "host" | "docker";

export interface Step {
  readonly target: Target;
  /** The README's line of the block's first line of code, for messages. */
  readonly line: number;
  readonly code: string;
  readonly exit: number;
  readonly output?: { readonly lang: string; readonly text: string; readonly line: number };
}

const MARKER = /^<!-- walkthrough: (host|docker|output)((?: [a-z]+=\S+)*) -->$/;

export function readme(): string {
  return readFileSync(join(REPO_ROOT, "README.md"), "utf8");
}

/** Every marked step, in the README's order; throws on a marker that is not followed by a code block. */
export function walkthroughSteps(text: string): Step[] {
  const lines = text.split("\n");
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!);
    if (marker === null) {
      if (lines[i]!.includes("<!-- walkthrough")) throw new Error(`README.md:${i + 1}: malformed marker`);
      continue;
    }
    let j = i + 1;
    while (lines[j]?.trim() === "") j++;
    const fence = /^```(\w+)$/.exec(lines[j] ?? "");
    if (fence === null) throw new Error(`README.md:${i + 1}: a walkthrough marker must precede a code block`);
    const end = lines.indexOf("```", j + 1);
    if (end === -1) throw new Error(`README.md:${j + 1}: unclosed code block`);
    const body = `${lines.slice(j + 1, end).join("\n")}\n`;
    const options = Object.fromEntries(
      marker[2]!
        .trim()
        .split(" ")
        .filter(Boolean)
        .map((o) => o.split("=") as [string, string]),
    );
    if (marker[1] === "output") {
      const previous = steps.pop();
      if (previous === undefined)
        throw new Error(`README.md:${i + 1}: an output block needs a step before it`);
      steps.push({ ...previous, output: { lang: fence[1]!, text: body, line: j + 2 } });
    } else {
      if (fence[1] !== "sh") throw new Error(`README.md:${j + 1}: a walkthrough step must be a sh block`);
      steps.push({ target: marker[1] as Target, line: j + 2, code: body, exit: Number(options.exit ?? 0) });
    }
    i = end;
  }
  return steps;
}

export interface StepResult {
  readonly step: Step;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one walk-through's steps in order; stops at the first step that does not end as the README says. */
export async function runWalkthrough(
  steps: readonly Step[],
  options: { start: string; env: Record<string, string>; timeoutMs?: number },
): Promise<StepResult[]> {
  const state = mkdtempSync(join(tmpdir(), "cwp-walkthrough-state-"));
  writeFileSync(join(state, "cwd"), options.start);
  writeFileSync(join(state, "env"), "");
  const results: StepResult[] = [];
  for (const step of steps) {
    const script = [
      "set -eo pipefail",
      `cd "$(cat '${state}/cwd')"`,
      `source '${state}/env'`,
      `trap 'pwd > "${state}/cwd"; export -p > "${state}/env"' EXIT`,
      step.code,
    ].join("\n");
    const result = await new Promise<StepResult>((resolve, reject) => {
      const child = spawn("bash", ["-c", script], {
        env: offPlatform(options.env),
        stdio: ["ignore", "pipe", "pipe"],
        timeout: options.timeoutMs ?? 120_000,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ step, code, stdout, stderr }));
    });
    results.push(result);
    if (result.code !== step.exit) break;
  }
  return results;
}

/** A line that says which README step this was, for assertion messages. */
export function describeStep(result: StepResult): string {
  return `README.md:${result.step.line} exited ${String(result.code)} (expected ${result.step.exit})\n--- code\n${result.step.code}--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}
