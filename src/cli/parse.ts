/** node:util's parseArgs, with its errors turned into UsageErrors that read well on one line. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../common/suggest.js";
import { UsageError } from "./context.js";

/** "; did you mean --config?" for `--confg`, when one of the command's options is close. */
function suggestion(message: string, options: ParseArgsConfig["options"]): string {
  const unknown = /^Unknown option '(--?[^']+)'/.exec(message)?.[1];
  if (unknown === undefined) return "";
  const names = Object.keys(options ?? {}).map((name) => `--${name}`);
  const match = closest(unknown.replace(/=.*$/, ""), names);
  return match === undefined ? `; this command's options: ${names.join(", ")}` : `; did you mean ${match}?`;
}

export function parseCommandArgs<T extends ParseArgsConfig["options"]>(
  command: string,
  args: readonly string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (cause) {
    const message = (cause as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`${command}: ${message}${suggestion(message, options)}`, { cause });
  }
}
