/** `once`: read every metric one time, publish, wait for the answers; exit 0 only if all were accepted. */
import type { Command } from "../cli/context.js";
import { ExitCode } from "../exit-codes.js";
import { closeLogger } from "../log.js";
import { plural } from "../common/plural.js";
import { prepare } from "./prepare.js";

export const ONCE_HELP = `Usage: cloudwatch-publisher once [--config FILE] [--dry-run]

Reads every metric once, publishes the values (and what an earlier run left in
the outbox directory), waits for CloudWatch's answers and exits: 0 when every
metric was read and every datum accepted, 3 otherwise (1 for an invalid config,
2 for a usage error). For trying a config by hand.

Options:
  -c, --config FILE  the config file (else $CONFIG_FILE, /config/config.yaml, or heartbeat mode)
  --dry-run          print the PutMetricData requests as JSON lines instead of sending them
  -h, --help         show this help
`;

export const once: Command = async (args, context) => {
  const prepared = await prepare("once", args, context, ONCE_HELP);
  if (typeof prepared === "number") return prepared;
  const { agent, logger } = prepared;
  const report = await agent.runOnce();
  const backlog =
    report.replayed.found === 0
      ? ""
      : `; outbox backlog: ${report.replayed.found} replayed, ${report.replayed.delivered} published, ${report.undelivered} left`;
  const line = `once: ${plural(report.metrics, "metric")}, ${report.read} read, ${report.delivered} published in ${plural(report.requests, "request")}, ${plural(report.failed, "read failure")}, ${report.droppedTotal} dropped${backlog}`;
  if (report.complete) logger.info(line, agent.snapshot());
  else logger.error(line, agent.snapshot());
  await closeLogger(logger);
  return report.complete ? ExitCode.OK : ExitCode.NOT_DELIVERED;
};
