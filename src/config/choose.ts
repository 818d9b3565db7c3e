/**
 * Which config a run uses: --config, else $CONFIG_FILE, else $CONFIG_YAML (the config's text), else
 * /config/config.yaml if present, else heartbeat mode's environment. Light on purpose: the main thread imports it, and loading (YAML,
 * the schema) happens in the worker (load-worker.ts).
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import { setting, type Environment } from "../environment.js";
import { CONFIG_YAML_ORIGIN, CONFIG_YAML_VARIABLE } from "./config-yaml.js";

export const DEFAULT_CONFIG_PATH = "/config/config.yaml";

/** `$CONFIG_FILE` when set and not empty, else the default path. */
export function configPathFromEnv(env: Environment): { path: string; explicit: boolean } {
  const fromEnv = setting(env, "CONFIG_FILE");
  if (fromEnv !== undefined) return { path: fromEnv, explicit: true };
  return { path: DEFAULT_CONFIG_PATH, explicit: false };
}

export type ConfigChoice =
  | { readonly mode: "file"; readonly path: string; readonly explicit: boolean }
  /** The config's text itself: $CONFIG_YAML, or standard input for `validate-config -`; `origin` names it in messages. */
  | { readonly mode: "text"; readonly origin: string; readonly text: string }
  | { readonly mode: "heartbeat" };

/** What the start line and messages call the chosen config. */
export function describeChoice(choice: ConfigChoice): string {
  if (choice.mode === "file") return choice.path;
  if (choice.mode === "text") return choice.origin;
  return "environment";
}

/** An explicitly named file must exist: a mistyped mount must not fall back to heartbeat mode. */
export function chooseConfig(flag: string | undefined, env: Environment, exists = existsSync): ConfigChoice {
  if (flag !== undefined) return { mode: "file", path: flag, explicit: true };
  const fromEnv = configPathFromEnv(env);
  if (fromEnv.explicit) return { mode: "file", path: fromEnv.path, explicit: true };
  const text = setting(env, CONFIG_YAML_VARIABLE);
  if (text !== undefined) return { mode: "text", origin: CONFIG_YAML_ORIGIN, text };
  if (exists(DEFAULT_CONFIG_PATH)) return { mode: "file", path: DEFAULT_CONFIG_PATH, explicit: false };
  return { mode: "heartbeat" };
}

/**
 * Heartbeat mode starts when /config/config.yaml does not exist; if /config holds something else
 * (config.yml, a misspelt name), the user most likely meant it as the config: say so.
 */
export function heartbeatWarning(list: (dir: string) => string[] = readdirSync): string | undefined {
  const dir = dirname(DEFAULT_CONFIG_PATH);
  let names: string[];
  try {
    // Kubernetes' ConfigMap volumes keep their own entries, named "..data" and the like.
    names = list(dir).filter((name) => !name.startsWith(".."));
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? ", ..." : "");
  return `heartbeat mode: there is no ${DEFAULT_CONFIG_PATH}, but ${dir} holds ${shown}; to use a file as the config, name it ${basename(DEFAULT_CONFIG_PATH)} or set CONFIG_FILE (or --config) to it`;
}
