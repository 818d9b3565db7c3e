/** `run` (the default): publish on schedule until SIGTERM or SIGINT, then shut down in order and exit 0. */
import type { Command } from "../cli/context.js";
import { ExitCode } from "../exit-codes.js";
import { HealthMonitor } from "../health/monitor.js";
import { statusFilePath } from "../health/status-file.js";
import { closeLogger } from "../log.js";
import { prepare } from "./prepare.js";

export const SUMMARY_INTERVAL_MS = 60_000;
/** Exit code when a second signal cuts the shutdown short (128 + SIGINT, as shells report it). */
export const EXIT_ON_SECOND_SIGNAL = 130;

export const RUN_HELP = `Usage: cloudwatch-publisher [run] [--config FILE] [--dry-run]

Reads each metric on its schedule and publishes it to CloudWatch until stopped
with SIGTERM or SIGINT (Ctrl-C), then flushes what is batched and exits 0.

The config is --config FILE, else $CONFIG_FILE, else /config/config.yaml. With
none of them, heartbeat mode publishes one metric built from the environment:
METRIC_NAMESPACE, METRIC_NAME, METRIC_VALUE, METRIC_UNIT, METRIC_DIMENSIONS,
SCHEDULE (see the README), the first one right after start.

Options:
  -c, --config FILE  the config file; it must exist
  --dry-run          print each PutMetricData request as a JSON line instead of
                     sending it (also DRY_RUN=true); no credentials needed
  -h, --help         show this help
`;

export const run: Command = async (args, context) => {
  // Listen before anything else, so a signal during start-up also leads to an orderly exit.
  let received: NodeJS.Signals | undefined;
  const starting = new AbortController();
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      received = signal;
      starting.abort(new Error(`${signal} received`));
      resolve(signal);
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  });
  const prepared = await prepare("run", args, context, RUN_HELP, starting.signal);
  if (typeof prepared === "number") return prepared;
  const { agent, config, logger } = prepared;
  const health = new HealthMonitor({
    source: agent,
    logger,
    statusFile: statusFilePath(context.env),
    port: config.health.port,
    maxUndeliveredAgeMs: config.health.maxUndeliveredAgeMs,
  });

  const summary = setInterval(() => {
    logger.info("summary (totals since start)", agent.snapshot());
  }, SUMMARY_INTERVAL_MS); // not unref'd: it is what keeps the daemon alive between runs

  if (received === undefined) {
    agent.start();
    try {
      await health.start();
    } catch (error) {
      logger.error(
        `health endpoint: cannot listen on port ${String(config.health.port)}: ${(error as Error).message}`,
      );
      await agent.stop(0);
      clearInterval(summary);
      await closeLogger(logger);
      return ExitCode.USAGE;
    }
  }
  const signal = await stopped;
  logger.info(`${signal} received; shutting down (send it again to exit at once)`);
  const again = (second: NodeJS.Signals) => {
    logger.warn(`${second} received again; exiting without finishing the shutdown`);
    process.exit(EXIT_ON_SECOND_SIGNAL);
  };
  process.once("SIGTERM", again);
  process.once("SIGINT", again);

  await agent.stop();
  await health.stop();
  clearInterval(summary);
  logger.info("stopped", agent.snapshot());
  await closeLogger(logger);
  return ExitCode.OK;
};
