/**
 * How the one-shot commands that read a config (`cost`, `iam-policy`) load it: in the memory-capped
 * worker; a file that cannot be read is one line and exit 2, an invalid config its located errors and
 * exit 1. Returns the config, or the exit code when there is none.
 */
import type { ConfigChoice } from "../config/choose.js";
import { ConfigFileError } from "../config/file-error.js";
import { formatConfigError } from "../config/issue.js";
import { loadConfigIsolated } from "../config/load-isolated.js";
import type { Config } from "../config/types.js";
import type { Environment } from "../environment.js";
import { ExitCode } from "../exit-codes.js";

export async function loadForCommand(
  choice: ConfigChoice,
  env: Environment,
  stderr: { write(text: string): unknown },
  /** A last line after the errors of an invalid config, if the command has one. */
  invalidTrailer?: string,
): Promise<Config | number> {
  let loaded;
  try {
    loaded = await loadConfigIsolated(choice, env);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    stderr.write(`${error.message}\n`);
    return ExitCode.USAGE;
  }
  if (!loaded.ok) {
    const trailer = invalidTrailer === undefined ? "" : `${invalidTrailer}\n`;
    stderr.write(`${loaded.errors.map(formatConfigError).join("\n")}\n${trailer}`);
    return ExitCode.INVALID_CONFIG;
  }
  return loaded.config;
}
