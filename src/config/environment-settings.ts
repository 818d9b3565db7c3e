/**
 * Settings the environment supplies in both modes, a config file's and heartbeat mode's: each applies
 * when the config does not set it, and the file wins when it does. The image sets OUTBOX_DIR, so a
 * mounted config keeps its outbox in the image's volume without saying so itself.
 */
import { setting, type Environment } from "../environment.js";
import type { PathSegment } from "./path.js";

export interface EnvironmentSetting {
  readonly variable: string;
  readonly path: readonly [string, string];
  /** The value as the document holds it; a port that is not all digits stays a string for the schema to refuse. */
  readonly value: (text: string) => unknown;
}

export const ENVIRONMENT_SETTINGS: readonly EnvironmentSetting[] = [
  { variable: "OUTBOX_DIR", path: ["delivery", "outboxDir"], value: (text) => text },
  {
    variable: "HEALTH_PORT",
    path: ["health", "port"],
    value: (text) => (/^\d+$/.test(text.trim()) ? Number(text) : text),
  },
];

/** Where an error is said to be when a variable set the value. */
export const ENV_ORIGIN = "environment";

type Loose = Record<string, unknown>;

const isMap = (value: unknown): value is Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The key that identifies a path in the map of settings taken from the environment. */
export const pathKey = (path: readonly PathSegment[]): string => JSON.stringify(path);

/**
 * The document with each setting it lacks taken from its variable (an empty variable counts as unset),
 * and which variable set which path, so that an error there names the variable. The document is not
 * changed; only the sections touched are copied. A document or section of the wrong shape is left as
 * it is, for the schema to report.
 */
export function withEnvironmentSettings(
  document: unknown,
  env: Environment,
): { document: unknown; variables: Map<string, string> } {
  const variables = new Map<string, string>();
  if (!isMap(document)) return { document, variables };
  const result: Loose = { ...document };
  for (const { variable, path, value } of ENVIRONMENT_SETTINGS) {
    const text = setting(env, variable);
    if (text === undefined) continue;
    const [section, key] = path;
    const current = section in result ? result[section] : {};
    if (!isMap(current) || current[key] !== undefined) continue;
    result[section] = { ...current, [key]: value(text) };
    variables.set(pathKey(path), variable);
  }
  return { document: result, variables };
}
