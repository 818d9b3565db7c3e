/** The worker side of loadConfigIsolated: loads the chosen config and posts back the result. */
import { parentPort, workerData } from "node:worker_threads";
import type { Environment } from "../environment.js";
import { ConfigFileError } from "./load.js";
import { loadChosenConfig, type ConfigChoice } from "./choose.js";

const { choice, env } = workerData as { choice: ConfigChoice; env: Environment };
try {
  parentPort!.postMessage({ result: await loadChosenConfig(choice, env) });
} catch (error) {
  if (error instanceof ConfigFileError)
    parentPort!.postMessage({ fileError: { file: error.file, reason: error.reason } });
  else parentPort!.postMessage({ internal: (error as Error).stack ?? String(error) });
}
