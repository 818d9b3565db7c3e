/**
 * The config given whole in the environment variable CONFIG_YAML (for Fargate and CI, where a file
 * is awkward to mount). Its errors are located as `$CONFIG_YAML:LINE:COL`, and it obeys the size
 * limit of a config file (MAX_CONFIG_BYTES, counted in UTF-8 bytes). Linux itself refuses to start
 * a process with one environment string over 128 KiB (MAX_ARG_STRLEN), so in practice that is the
 * limit; the larger one here is the same rule as for files, not a promise.
 */
import { FILE_PATH, type ConfigError } from "./issue.js";
import type { Environment } from "../environment.js";
import { MAX_CONFIG_BYTES } from "./read-config-file.js";

export const CONFIG_YAML_VARIABLE = "CONFIG_YAML";
/** The origin named in messages and on the start line. */
export const CONFIG_YAML_ORIGIN = `$${CONFIG_YAML_VARIABLE}`;

export type ConfigYaml =
  /** Unset or empty: the next source in the order is used. */
  | { readonly present: false }
  | { readonly present: true; readonly ok: true; readonly origin: string; readonly text: string }
  | { readonly present: true; readonly ok: false; readonly error: ConfigError };

/** A config given as text ($CONFIG_YAML, standard input) over the limit of a config file, or undefined. */
export function configTextTooLarge(origin: string, text: string): ConfigError | undefined {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= MAX_CONFIG_BYTES) return undefined;
  return {
    file: origin,
    line: undefined,
    column: undefined,
    variable: undefined,
    path: FILE_PATH,
    message: `holds ${bytes} bytes; a config may have at most ${MAX_CONFIG_BYTES} (4 MiB); split the metrics over several publishers`,
  };
}

export function configYamlFromEnv(env: Environment): ConfigYaml {
  const text = env[CONFIG_YAML_VARIABLE];
  if (text === undefined || text === "") return { present: false };
  const error = configTextTooLarge(CONFIG_YAML_ORIGIN, text);
  if (error !== undefined) return { present: true, ok: false, error };
  return { present: true, ok: true, origin: CONFIG_YAML_ORIGIN, text };
}
