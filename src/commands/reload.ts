/**
 * Reloading the config of a running publisher, on SIGHUP or (with --watch) when the file changes.
 * The new config is loaded in the isolated worker and checked in full; any error is logged with
 * FILE:LINE:COL and the running config stays. A valid one is compared with the running one
 * (planReload): a change of delivery.outboxDir or output is refused (a restart is needed); otherwise
 * the agent applies it and the log says what changed. Reloads run one at a time; requests that come
 * while one runs (a storm of SIGHUPs, a burst of writes) make one more reload after it, not one each.
 */
import { describeChoice, type ConfigChoice } from "../config/choose.js";
import { ConfigFileError } from "../config/file-error.js";
import { formatConfigError, formatConfigWarning } from "../config/issue.js";
import { ConfigLoadAbortedError, loadConfigIsolated } from "../config/load-isolated.js";
import { describeReload, planReload } from "../config/reload-plan.js";
import type { Config } from "../config/types.js";
import type { Environment } from "../environment.js";
import type { Logger } from "../log.js";
import type { Agent } from "../pipeline/agent.js";
import { plural } from "../common/plural.js";
import type { PlatformValues } from "../config/placeholders.js";

export interface ReloaderOptions {
  readonly choice: ConfigChoice;
  readonly env: Environment;
  readonly agent: Agent;
  readonly logger: Logger;
  /** The running config, as prepare adjusted it (a dry run keeps no outbox directory). */
  readonly config: Config;
  readonly adjust: (config: Config) => Config;
  /** The platform's values read at start, for the placeholders of the new file. */
  readonly platform: PlatformValues;
  /** Aborts a load under way when the publisher stops. */
  readonly stopSignal: AbortSignal;
}

export class Reloader {
  private running: Config;
  private busy: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly options: ReloaderOptions) {
    this.running = options.config;
  }

  /** Asks for a reload; `why` says what asked ("SIGHUP", "the file changed"). Never throws. */
  request(why: string): void {
    if (this.closed) return;
    if (this.busy !== undefined) {
      this.again = true;
      return;
    }
    this.busy = this.reload(why)
      .catch((error: unknown) => {
        this.options.logger.error(`reload failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.busy = undefined;
        if (this.again) {
          this.again = false;
          this.request("requests that came during the last reload");
        }
      });
  }

  /** No reload starts after this; resolves when the one under way has ended. */
  async close(): Promise<void> {
    this.closed = true;
    await this.busy;
  }

  private async reload(why: string): Promise<void> {
    const { choice, env, logger, agent } = this.options;
    const origin = describeChoice(choice);
    if (choice.mode !== "file") {
      const source = choice.mode === "text" ? origin : "the environment (heartbeat mode)";
      logger.warn(
        `${why}: nothing to reload: the config comes from ${source}, which cannot change while the process runs; restart it to apply a change`,
      );
      return;
    }
    logger.info(`${why}: reloading the config from ${origin}`);
    let loaded;
    try {
      loaded = await loadConfigIsolated(choice, env, this.options.stopSignal, this.options.platform);
    } catch (error) {
      if (error instanceof ConfigLoadAbortedError) return;
      if (!(error instanceof ConfigFileError)) throw error;
      logger.error(`reload refused: config file ${error.message}; the running config stays`);
      return;
    }
    for (const warning of loaded.warnings ?? []) logger.warn(`config ${formatConfigWarning(warning)}`);
    if (!loaded.ok) {
      for (const error of loaded.errors)
        logger.error(`reload refused: invalid config: ${formatConfigError(error)}`);
      logger.error(
        `reload refused: ${plural(loaded.errors.length, "config error")} in ${origin}; the running config stays`,
      );
      return;
    }
    if (this.closed) return;
    const next = this.options.adjust(loaded.config);
    const plan = planReload(this.running, next);
    if (plan.refusals.length > 0) {
      for (const refusal of plan.refusals)
        logger.error(`reload refused: ${refusal}; the running config stays`);
      return;
    }
    agent.reconfigure(plan, next);
    // Only the metrics were applied: the settings stay as they run, so a later reload compares with them.
    this.running = Object.freeze({ ...this.running, metrics: next.metrics, secrets: next.secrets });
    const fields = {
      added: plan.added.length,
      removed: plan.removed.length,
      changed: plan.changed.length,
      unchanged: plan.unchanged.length,
    };
    logger.info(`config reloaded: ${describeReload(plan)}`, fields);
    if (plan.settings.length > 0) {
      logger.warn(
        `settings outside metrics changed (${plan.settings.join(", ")}); they take effect only after a restart, the running publisher keeps the old values`,
      );
    }
  }
}
