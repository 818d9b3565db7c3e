/** `run` (the default): publish on schedule until SIGTERM or SIGINT, then shut down in order and exit 0. */
import type { Command } from "../cli/context.js";
import { ExitCode } from "../exit-codes.js";
import { HealthMonitor, HealthPortError } from "../health/monitor.js";
import { statusFilePath } from "../health/status-file.js";
import { closeLogger, type Logger } from "../log.js";
import { prepare } from "./prepare.js";
import { ProcessEvents } from "./process-events.js";
import { Reloader } from "./reload.js";
import { watchConfig, type ConfigWatcher } from "../config/config-watcher.js";

export const SUMMARY_INTERVAL_MS = 60_000;

export const RUN_HELP = `Usage: cloudwatch-publisher [run] [--config FILE] [--watch] [--dry-run]

Reads each metric on its schedule and publishes it to CloudWatch (or writes it
as EMF, with output: emf) until stopped with SIGTERM or SIGINT (Ctrl-C), then
flushes what is batched and exits 0. A second signal exits at once with code 130.
SIGHUP reloads the config file: a file with errors is logged and the running
config stays; unchanged metrics keep their schedule.

The config is --config FILE, else $CONFIG_FILE, else $CONFIG_YAML (the config's
text), else /config/config.yaml. With none of them, heartbeat mode publishes one
metric built from the environment: METRIC_NAMESPACE, METRIC_NAME, METRIC_VALUE,
METRIC_UNIT, METRIC_DIMENSIONS, SCHEDULE (see the README), the first one right
after start.

Options:
  -c, --config FILE  the config file; it must exist
  --watch            also reload when the config file changes (an edit, a
                     rename over it, a Kubernetes ConfigMap update)
  --dry-run          print each PutMetricData request as a JSON line instead of
                     sending it (also DRY_RUN=true); no credentials needed
  -h, --help         show this help
`;

export const run: Command = async (args, context) => {
  // Before anything else, so that a signal during start-up also leads to an orderly exit.
  const events = new ProcessEvents(context.stderr);
  let logger: Logger | undefined;
  try {
    const prepared = await prepare("run", args, context, RUN_HELP, {
      stopSignal: events.stopSignal,
      onLogger: (created) => {
        logger = created;
        events.useLogger(created);
      },
    });
    if (typeof prepared === "number") return prepared;
    return await publishUntilStopped(prepared, events, context.env);
  } finally {
    events.dispose();
    if (logger !== undefined) await closeLogger(logger);
  }
};

async function publishUntilStopped(
  prepared: Exclude<Awaited<ReturnType<typeof prepare>>, number>,
  events: ProcessEvents,
  env: Parameters<typeof statusFilePath>[0],
): Promise<number> {
  const { agent, config, logger, choice } = prepared;
  const health = new HealthMonitor({
    source: agent,
    logger,
    statusFile: statusFilePath(env),
    port: config.health.port,
    maxUndeliveredAgeMs: config.health.maxUndeliveredAgeMs,
  });
  const summary = setInterval(() => {
    logger.info("summary (totals since start)", agent.snapshot());
  }, SUMMARY_INTERVAL_MS); // not unref'd: it is what keeps the daemon alive between runs

  if (!events.stopSignal.aborted) {
    try {
      await health.listen();
    } catch (error) {
      if (!(error instanceof HealthPortError)) throw error;
      // Nothing was read yet: closing the agent only releases the outbox directory.
      logger.error(error.message);
      await agent.stop(0);
      clearInterval(summary);
      return ExitCode.USAGE;
    }
    agent.start();
    health.start();
  }
  const reloader = new Reloader({ ...prepared, env, stopSignal: events.stopSignal });
  events.onReload(() => {
    reloader.request("SIGHUP received");
  });
  let watcher: ConfigWatcher | undefined;
  if (prepared.watch && choice.mode === "file") {
    watcher = watchConfig(choice.path, () => {
      reloader.request("the config file changed");
    });
    logger.info(`watching ${choice.path} for changes (--watch)`);
  }
  const cause = await events.stopped;
  watcher?.close();
  await reloader.close();
  if (cause.kind === "signal") {
    logger.info(`${cause.signal} received; shutting down (send it again to exit at once)`);
  }
  await agent.stop();
  await health.stop();
  clearInterval(summary);
  logger.info("stopped", agent.snapshot());
  return cause.kind === "fatal" ? ExitCode.INTERNAL : ExitCode.OK;
}
