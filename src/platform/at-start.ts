/**
 * Everything the start needs from the platform, read once and side by side: the placeholders the config
 * uses, the names the entity is made of, and (when none is configured) the region. Each part settles
 * within PLATFORM_DEADLINE_MS, and they run in parallel, so the whole takes at most that long.
 */
import type { Entity } from "@aws-sdk/client-cloudwatch";
import { entityFor, entityPlaceholders } from "./entity.js";
import type { PlaceholderName } from "./placeholders.js";
import type { PlatformEnv } from "./platform-env.js";
import { regionFromPlatform, type PlatformRegion } from "./region-from-platform.js";
import { resolveIdentity, type ResolveOptions } from "./resolve-identity.js";

export interface PlatformRequest {
  /** The placeholders the config uses. */
  readonly placeholders: ReadonlySet<PlaceholderName>;
  /** Whether requests carry the entity (the config's `entity`). */
  readonly entity: boolean;
  /** Whether the region must come from the platform (none is configured). */
  readonly region: boolean;
}

export interface PlatformAtStart {
  /** Each placeholder (and entity name) read, with its value. */
  readonly values: ReadonlyMap<PlaceholderName, string>;
  /** Each placeholder of the config that could not be read: "looked for at <URL>, field F: <why>". */
  readonly unresolved: ReadonlyMap<PlaceholderName, string>;
  readonly entity: Entity | undefined;
  /** Undefined when not asked for. */
  readonly region: PlatformRegion | undefined;
}

/** Whether anything must be read at all: without, the start asks no endpoint and waits for nothing. */
export function needsPlatform(request: PlatformRequest, env: PlatformEnv): boolean {
  return (
    request.placeholders.size > 0 || request.region || (request.entity && entityPlaceholders(env).size > 0)
  );
}

export async function platformAtStart(
  request: PlatformRequest,
  env: PlatformEnv = process.env,
  options: ResolveOptions = {},
): Promise<PlatformAtStart> {
  const forEntity = request.entity ? entityPlaceholders(env) : new Set<PlaceholderName>();
  const names = new Set([...request.placeholders, ...forEntity]);
  const [identity, region] = await Promise.all([
    resolveIdentity(names, env, options),
    request.region ? regionFromPlatform(env, options) : Promise.resolve(undefined),
  ]);
  const unresolved = new Map([...identity.unresolved].filter(([name]) => request.placeholders.has(name)));
  return {
    values: identity.values,
    unresolved,
    entity: request.entity ? entityFor(identity.values) : undefined,
    region,
  };
}
