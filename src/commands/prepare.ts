/** What `run` and `once` share: flags, logger, config, and the sender (CloudWatch, or a dry run). */
import { hostname } from "node:os";
import { Agent } from "../pipeline/agent.js";
import { UsageError, type CommandContext } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { formatConfigError, formatConfigWarning } from "../config/issue.js";
import { ConfigFileError } from "../config/file-error.js";
import { ConfigLoadAbortedError, loadConfigIsolated } from "../config/load-isolated.js";
import { chooseConfig, describeChoice, heartbeatWarning, type ConfigChoice } from "../config/choose.js";
import type { Config } from "../config/types.js";
import type { PlatformValues } from "../config/placeholders.js";
import { ExitCode } from "../exit-codes.js";
import { plural } from "../common/plural.js";
import { closeLogger, createLogger, LogSettingsError, logSettingsFromEnv, type Logger } from "../log.js";
import { endpointOverride } from "../publish/cloudwatch-sender.js";
import { startPlatform } from "./platform-start.js";
import { OutboxLockedError } from "../publish/outbox/segment-log.js";
import { heldStream } from "../common/held-stream.js";
import { chooseSender, stdoutCarriesData } from "./output.js";

const TRUE_WORDS = ["1", "true", "yes", "on"];
const FALSE_WORDS = ["", "0", "false", "no", "off"];

const MODE_NAMES = {
  file: "config file",
  text: "config text (environment variable)",
  heartbeat: "heartbeat (environment only)",
} as const;

export interface Prepared {
  readonly agent: Agent;
  readonly config: Config;
  readonly logger: Logger;
  readonly dryRun: boolean;
  /** Which config was used, for a reload. */
  readonly choice: ConfigChoice;
  /** What prepare does to a loaded config before running it (a reload does the same). */
  readonly adjust: (config: Config) => Config;
  /** `run --watch`: reload when the config file changes. */
  readonly watch: boolean;
  /** The platform's values read at start: a reload fills the same placeholders with them. */
  readonly platform: PlatformValues;
}

function dryRunFromEnv(value: string | undefined): boolean {
  const word = (value ?? "").trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new UsageError(`DRY_RUN must be true or false (got "${value ?? ""}")`);
}

function withoutOutboxDir(config: Config): Config {
  if (config.delivery.outboxDir === undefined) return config;
  return Object.freeze({ ...config, delivery: Object.freeze({ ...config.delivery, outboxDir: undefined }) });
}

/** How `run` follows start-up: the logger as soon as it exists, and a signal that abandons loading. */
export interface PrepareHooks {
  readonly onLogger?: (logger: Logger) => void;
  /**
   * Aborted by SIGTERM or SIGINT: loading the config, or a wait for the outbox directory's lock, is
   * abandoned, nothing is started, and prepare returns ExitCode.OK.
   */
  readonly stopSignal?: AbortSignal;
}

/** Sets everything up; returns an exit code instead when the flags or the config are wrong, or a stop came first. */
export async function prepare(
  command: "run" | "once",
  args: readonly string[],
  context: CommandContext,
  help: string,
  hooks: PrepareHooks = {},
): Promise<Prepared | number> {
  const { values } = parseCommandArgs(
    command,
    args,
    {
      config: { type: "string", short: "c" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      ...(command === "run" ? { watch: { type: "boolean" } } : {}),
    },
    false,
  );
  if (values.help === true) {
    context.stdout.write(help);
    return ExitCode.OK;
  }
  const dryRun = values["dry-run"] === true || dryRunFromEnv(context.env.DRY_RUN);
  let settings;
  try {
    settings = logSettingsFromEnv(context.env, context.stdoutIsTty);
  } catch (error) {
    if (error instanceof LogSettingsError) throw new UsageError(error.message);
    throw error;
  }
  // When stdout carries data (a dry run's requests, EMF documents) the logs go to stderr. Only the
  // config says which, so lines are held until it is loaded (or failed to load: then stdout).
  const logStream = heldStream();
  const logger = createLogger(settings, logStream.stream);
  const routeLogs = (config: Config | undefined) => {
    const output = stdoutCarriesData(config, dryRun) ? context.stderr : context.stdout;
    logStream.route((text) => {
      output.write(text);
    });
  };
  if (dryRun) routeLogs(undefined);
  hooks.onLogger?.(logger);
  try {
    const watch = (values as { watch?: boolean }).watch === true;
    return await prepareWith(command, context, values.config, { dryRun, watch }, logger, routeLogs, hooks);
  } finally {
    routeLogs(undefined);
  }
}

async function prepareWith(
  command: "run" | "once",
  context: CommandContext,
  flag: string | undefined,
  { dryRun, watch }: { dryRun: boolean; watch: boolean },
  logger: Logger,
  routeLogs: (config: Config | undefined) => void,
  hooks: PrepareHooks,
): Promise<Prepared | number> {
  const choice = chooseConfig(flag, context.env);
  if (watch && choice.mode !== "file") {
    throw new UsageError(
      `--watch needs a config file (--config, $CONFIG_FILE or /config/config.yaml); the config comes from ${describeChoice(choice)}, which cannot change while running`,
    );
  }
  const strayConfig = choice.mode === "heartbeat" ? heartbeatWarning() : undefined;
  if (strayConfig !== undefined) logger.warn(strayConfig);
  logger.debug(`loading the config from ${describeChoice(choice)}`);
  let loaded;
  try {
    loaded = await loadConfigIsolated(choice, context.env, hooks.stopSignal);
  } catch (error) {
    if (error instanceof ConfigFileError) {
      logger.error(`config file ${error.message}`);
      return ExitCode.USAGE;
    }
    if (error instanceof ConfigLoadAbortedError) {
      logger.info("stopped while loading the config; nothing was started");
      return ExitCode.OK;
    }
    throw error;
  }
  for (const warning of loaded.warnings ?? []) logger.warn(`config ${formatConfigWarning(warning)}`);
  if (!loaded.ok) {
    for (const error of loaded.errors) logger.error(`invalid config: ${formatConfigError(error)}`);
    logger.error(`${plural(loaded.errors.length, "config error")}; nothing was started`);
    return ExitCode.INVALID_CONFIG;
  }
  const started = await startPlatform({
    choice,
    env: context.env,
    config: loaded.config,
    placeholders: loaded.placeholders ?? [],
    dryRun,
    logger,
    signal: hooks.stopSignal,
  });
  if (typeof started === "number") {
    if (started === ExitCode.OK) logger.info("stopped while reading the platform; nothing was started");
    return started;
  }
  // A dry run sends nothing, so it keeps nothing either: no outbox on disk, which it would also
  // replay and "deliver" to stdout, marking a real backlog delivered.
  const adjust = (loadedConfig: Config) => (dryRun ? withoutOutboxDir(loadedConfig) : loadedConfig);
  const config = adjust(started.config);
  routeLogs(config);
  const { sender, fields } = chooseSender(config, dryRun, context, logger, started);
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  if (nodeMajor < 22 && config.output.type === "cloudwatch") {
    logger.warn(
      `running on Node.js ${process.versions.node}; the AWS SDK requires Node.js 22 or newer from early 2027`,
    );
  }
  logger.info(`cloudwatch-publisher ${command} started`, {
    mode: MODE_NAMES[choice.mode],
    config: describeChoice(choice),
    metrics: config.metrics.length,
    ...fields,
    ...started.fields,
    ...(config.output.type === "emf" || endpointOverride(context.env) === undefined
      ? {}
      : { endpoint: endpointOverride(context.env) }),
  });
  const signal = hooks.stopSignal;
  let agent: Agent;
  try {
    agent = await Agent.create({
      config,
      env: context.env,
      sender,
      logger,
      hostSeed: hostname(),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (!(error instanceof OutboxLockedError) && signal?.aborted !== true) throw error;
    sender.close();
    if (error instanceof OutboxLockedError) {
      logger.error(`cannot start: ${error.message}`, { exitCode: ExitCode.OUTBOX_LOCKED });
      await closeLogger(logger);
      return ExitCode.OUTBOX_LOCKED;
    }
    logger.info("stopped while waiting for the outbox directory's lock");
    await closeLogger(logger);
    return ExitCode.OK;
  }
  return { agent, config, logger, dryRun, choice, adjust, watch, platform: started.values };
}
