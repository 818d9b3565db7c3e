/** Loading the chosen config: a file, or heartbeat mode's environment. */
import type { ConfigChoice } from "./choose.js";
import { heartbeatConfig } from "./env.js";
import type { Environment } from "../environment.js";
import { loadConfigFile, type LoadResult } from "./load.js";

/** Loads the chosen config; throws ConfigFileError when a file cannot be read. */
export function loadChosenConfig(choice: ConfigChoice, env: Environment): Promise<LoadResult> {
  return choice.mode === "file" ? loadConfigFile(choice.path, env) : Promise.resolve(heartbeatConfig(env));
}
