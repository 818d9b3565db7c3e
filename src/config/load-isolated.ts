/**
 * Loads the config in a worker thread. Parsing a large YAML file with positions and compiling the
 * schema leaves tens of MB of garbage; in the main thread V8 keeps that heap resident for the life of
 * the daemon (measured: 1,000 metrics took idle RSS from 59 to 95 MiB). In a worker it is freed when
 * the worker ends, and yaml and ajv are never loaded into the daemon at all. The worker's heap is
 * capped, so that no file within the size limit (however it is shaped) can take the host's memory,
 * and the load can be abandoned at once (SIGTERM while loading).
 */
import { Worker } from "node:worker_threads";
import type { Environment } from "../environment.js";
import { describeChoice, type ConfigChoice } from "./choose.js";
import { ConfigFileError } from "./file-error.js";
import { FILE_PATH } from "./issue.js";
import type { LoadResult } from "./load.js";
import type { PlatformValues } from "./placeholders.js";

/**
 * The loader's heap limit. The largest configs that fit MAX_CONFIG_BYTES in the usual shape (50,000
 * one-line metrics, 3 MB) need about 300 MB; a 4 MiB list of two million bare numbers would need 2 GB.
 */
export const CONFIG_LOADER_HEAP_MB = 512;

/** Loading was abandoned because the signal aborted (a SIGTERM while the config loads). */
export class ConfigLoadAbortedError extends Error {
  override name = "ConfigLoadAbortedError";
}

type Reply = { result: LoadResult } | { fileError: { file: string; reason: string } } | { internal: string };

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function outOfMemory(choice: ConfigChoice): LoadResult {
  const file = describeChoice(choice);
  return {
    ok: false,
    errors: [
      {
        file,
        line: undefined,
        column: undefined,
        variable: undefined,
        path: FILE_PATH,
        message: `loading it needed more than ${CONFIG_LOADER_HEAP_MB} MB of memory: the YAML has too many values; split the metrics over several publishers`,
      },
    ],
  };
}

/** `platform`: the placeholder values read at start (see config/placeholders.ts). */
export function loadConfigIsolated(
  choice: ConfigChoice,
  env: Environment,
  signal?: AbortSignal,
  platform?: PlatformValues,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new ConfigLoadAbortedError("loading the config was abandoned"));
      return;
    }
    const worker = new Worker(new URL("./load-worker.js", import.meta.url), {
      workerData: { choice, env: { ...env }, platform },
      resourceLimits: { maxOldGenerationSizeMb: CONFIG_LOADER_HEAP_MB },
    });
    const onAbort = () => {
      void worker.terminate();
      reject(new ConfigLoadAbortedError("loading the config was abandoned"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
    };
    worker.once("message", (reply: Reply) => {
      done();
      if ("result" in reply) {
        const result = reply.result;
        resolve(result.ok ? { ...result, config: deepFreeze(result.config) } : result);
      } else if ("fileError" in reply) {
        reject(new ConfigFileError(reply.fileError.file, reply.fileError.reason));
      } else {
        reject(new Error(`loading the config failed: ${reply.internal}`));
      }
    });
    worker.once("error", (error: NodeJS.ErrnoException) => {
      done();
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") resolve(outOfMemory(choice));
      else reject(error);
    });
  });
}
