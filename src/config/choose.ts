/** Which config a run uses: --config, else $CONFIG_FILE, else /config/config.yaml if present, else the environment. */
import { existsSync } from "node:fs";
import type { Environment } from "./interpolate.js";
import { configPathFromEnv, DEFAULT_CONFIG_PATH } from "./paths.js";

export type ConfigChoice =
  | { readonly mode: "file"; readonly path: string; readonly explicit: boolean }
  | { readonly mode: "heartbeat" };

/** An explicitly named file must exist: a mistyped mount must not fall back to heartbeat mode. */
export function chooseConfig(flag: string | undefined, env: Environment, exists = existsSync): ConfigChoice {
  if (flag !== undefined) return { mode: "file", path: flag, explicit: true };
  const fromEnv = configPathFromEnv(env);
  if (fromEnv.explicit) return { mode: "file", path: fromEnv.path, explicit: true };
  if (exists(DEFAULT_CONFIG_PATH)) return { mode: "file", path: DEFAULT_CONFIG_PATH, explicit: false };
  return { mode: "heartbeat" };
}
