/** The worker side of loadConfigIsolated: loads the chosen config and posts back the result. */
import { parentPort, workerData } from "node:worker_threads";
import type { Environment } from "../environment.js";
import type { ConfigChoice } from "./choose.js";
import { heartbeatConfig } from "./heartbeat.js";
import { configTextTooLarge } from "./config-yaml.js";
import { ConfigFileError, loadConfigFile, loadConfigText, type LoadResult } from "./load.js";
import type { PlatformValues } from "./placeholders.js";

/** Loads the chosen config; throws ConfigFileError when a file cannot be read. */
function loadChosenConfig(
  choice: ConfigChoice,
  env: Environment,
  platform?: PlatformValues,
): Promise<LoadResult> {
  if (choice.mode === "file") return loadConfigFile(choice.path, env, platform);
  if (choice.mode === "heartbeat") return Promise.resolve(heartbeatConfig(env, platform));
  const tooLarge = configTextTooLarge(choice.origin, choice.text);
  if (tooLarge !== undefined) return Promise.resolve({ ok: false, errors: [tooLarge] });
  return Promise.resolve(loadConfigText(choice.text, choice.origin, env, platform));
}

const { choice, env, platform } = workerData as {
  choice: ConfigChoice;
  env: Environment;
  platform: PlatformValues | undefined;
};
try {
  parentPort!.postMessage({ result: await loadChosenConfig(choice, env, platform) });
} catch (error) {
  if (error instanceof ConfigFileError)
    parentPort!.postMessage({ fileError: { file: error.file, reason: error.reason } });
  else parentPort!.postMessage({ internal: (error as Error).stack ?? String(error) });
}
