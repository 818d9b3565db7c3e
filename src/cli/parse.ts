/** node:util's parseArgs, with its errors turned into UsageErrors that read well on one line. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./context.js";

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
    throw new UsageError(`${command}: ${message}`, { cause });
  }
}
