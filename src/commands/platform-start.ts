/**
 * The platform at start, for `run` and `once`: the `${aws:...}`/`${ecs:...}` placeholders the config uses,
 * the entity and (when none is configured) the region, read once, in parallel, before the first read.
 * A placeholder that cannot be read and has no default stops the start (exit 1) naming it, where it is
 * in the config and where it was looked for; one with a default gets the default, and the start line
 * says so. The config is then loaded again with the values, so every rule is checked on what is sent.
 */
import type { Entity } from "@aws-sdk/client-cloudwatch";
import type { ConfigChoice } from "../config/choose.js";
import { formatConfigError } from "../config/issue.js";
import { ConfigLoadAbortedError, loadConfigIsolated } from "../config/load-isolated.js";
import type { PlaceholderSite } from "../config/load.js";
import type { Config } from "../config/types.js";
import type { PlatformValues } from "../config/placeholders.js";
import type { Environment } from "../environment.js";
import { ExitCode } from "../exit-codes.js";
import type { Logger } from "../log.js";
import { needsPlatform, platformAtStart } from "../platform/at-start.js";
import type { PlaceholderName } from "../platform/placeholders.js";
import { FALLBACK_REGION, resolveRegion } from "../publish/cloudwatch-sender.js";

export interface PlatformStart {
  readonly config: Config;
  /** Undefined in a dry run, which needs none. */
  readonly region: string | undefined;
  readonly entity: Entity | undefined;
  /** For the start line: where the region came from, each placeholder's value (or default), the entity. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The placeholders' values read (none when the config uses none); a reload uses them again. */
  readonly values: PlatformValues;
}

export interface PlatformStartInput {
  readonly choice: ConfigChoice;
  readonly env: Environment;
  readonly config: Config;
  readonly placeholders: readonly PlaceholderSite[];
  readonly dryRun: boolean;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
}

/** A value the start line shows: hidden when it went into a source, where values are kept out of logs. */
const shown = (value: string, config: Config) =>
  config.secrets.includes(value) ? "(hidden: used in a metric's source)" : value;

/** "aws:InstanceId" → the resolved value, or `default "x" (why)`. */
function placeholderFields(
  sites: readonly PlaceholderSite[],
  values: ReadonlyMap<PlaceholderName, string>,
  config: Config,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { name, fallback } of sites) {
    const value = values.get(name);
    fields[name] =
      value !== undefined ? shown(value, config) : `default ${JSON.stringify(shown(fallback ?? "", config))}`;
  }
  return fields;
}

export async function startPlatform(input: PlatformStartInput): Promise<PlatformStart | number> {
  const { choice, env, config, placeholders, dryRun, logger, signal } = input;
  const configured = dryRun ? undefined : await resolveRegion(env);
  const request = {
    placeholders: new Set(placeholders.map((site) => site.name)),
    entity: config.entity,
    region: configured?.fallback === true,
  };
  const platform = needsPlatform(request, env)
    ? await platformAtStart(request, env, signal === undefined ? {} : { signal })
    : undefined;
  if (signal?.aborted === true) return ExitCode.OK;

  const missing = placeholders.filter(
    (site) => site.fallback === undefined && platform?.unresolved.has(site.name) === true,
  );
  for (const site of missing)
    logger.error(
      `cannot start: \${${site.name}} (${site.where}) could not be read from the platform and has no default: ${platform!.unresolved.get(site.name)!}; give it a default, e.g. \${${site.name}:-unknown}`,
      { exitCode: ExitCode.INVALID_CONFIG },
    );
  if (missing.length > 0) return ExitCode.INVALID_CONFIG;
  for (const name of new Set(placeholders.map((site) => site.name))) {
    const why = platform?.unresolved.get(name);
    if (why !== undefined) logger.info(`\${${name}} takes its default: ${why}`, { placeholder: name });
  }

  let final = config;
  if (placeholders.length > 0) {
    let loaded;
    try {
      loaded = await loadConfigIsolated(choice, env, signal, platform?.values ?? new Map());
    } catch (error) {
      if (error instanceof ConfigLoadAbortedError) return ExitCode.OK;
      throw error;
    }
    if (!loaded.ok) {
      for (const error of loaded.errors) logger.error(`invalid config: ${formatConfigError(error)}`);
      logger.error("the values read from the platform make the config invalid; nothing was started");
      return ExitCode.INVALID_CONFIG;
    }
    final = loaded.config;
  }

  let region = configured?.region;
  let regionSource: string | undefined;
  if (configured !== undefined)
    regionSource = configured.fallback ? undefined : "AWS_REGION or the AWS profile";
  if (configured?.fallback === true) {
    const fromPlatform = platform?.region;
    if (fromPlatform?.region !== undefined) {
      region = fromPlatform.region;
      regionSource = fromPlatform.source;
    } else {
      region = FALLBACK_REGION;
      regionSource = "fallback";
      logger.info(
        `no AWS region configured (AWS_REGION, AWS_DEFAULT_REGION or a profile) nor found in instance or task metadata; using ${FALLBACK_REGION}`,
        { reasons: fromPlatform?.reasons ?? [] },
      );
    }
  }
  const entity = platform?.entity;
  const fields: Record<string, unknown> = {
    ...(regionSource === undefined ? {} : { regionSource }),
    ...(placeholders.length === 0
      ? {}
      : { platform: placeholderFields(placeholders, platform?.values ?? new Map(), final) }),
    ...(config.entity ? { entity: entity?.KeyAttributes ?? "none (no instance or task metadata)" } : {}),
  };
  return { config: final, region, entity, fields, values: platform?.values ?? new Map() };
}
