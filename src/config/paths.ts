/** Where the config file is looked for when none is named on the command line. */
import { setting, type Environment } from "../environment.js";

export const DEFAULT_CONFIG_PATH = "/config/config.yaml";

/** `$CONFIG_FILE` when set and not empty, else the default path. */
export function configPathFromEnv(env: Environment): { path: string; explicit: boolean } {
  const fromEnv = setting(env, "CONFIG_FILE");
  if (fromEnv !== undefined) return { path: fromEnv, explicit: true };
  return { path: DEFAULT_CONFIG_PATH, explicit: false };
}
