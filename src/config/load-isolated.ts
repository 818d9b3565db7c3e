/**
 * Loads the config in a worker thread. Parsing a large YAML file with positions and compiling the
 * schema leaves tens of MB of garbage; in the main thread V8 keeps that heap resident for the life of
 * the daemon (measured: 1,000 metrics took idle RSS from 59 to 95 MiB). In a worker it is freed when
 * the worker ends, and yaml and ajv are never loaded into the daemon at all.
 */
import { Worker } from "node:worker_threads";
import type { Environment } from "./interpolate.js";
import type { ConfigChoice } from "./choose.js";
import { ConfigFileError } from "./file-error.js";
import type { LoadResult } from "./load.js";

type Reply = { result: LoadResult } | { fileError: { file: string; reason: string } } | { internal: string };

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function loadConfigIsolated(choice: ConfigChoice, env: Environment): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker.js", import.meta.url), {
      workerData: { choice, env: { ...env } },
    });
    worker.once("message", (reply: Reply) => {
      void worker.terminate();
      if ("result" in reply) {
        const result = reply.result;
        resolve(result.ok ? { ok: true, config: deepFreeze(result.config) } : result);
      } else if ("fileError" in reply) {
        reject(new ConfigFileError(reply.fileError.file, reply.fileError.reason));
      } else {
        reject(new Error(`loading the config failed: ${reply.internal}`));
      }
    });
    worker.once("error", reject);
  });
}
