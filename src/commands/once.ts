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
  const { agent, logger, metricCount } = prepared;
  await agent.runOnce();
  const s = agent.stats;
  const left = agent.outboxDepth;
  // Every metric read, every datum (read now or replayed from the outbox) accepted, nothing left.
  const complete =
    s.readFailures === 0 &&
    s.skippedRuns === 0 &&
    s.droppedTotal === 0 &&
    left === 0 &&
    s.collected >= metricCount;
  const fresh = s.published - s.replayedPublished;
  const backlog =
    s.replayed === 0
      ? ""
      : `; outbox backlog: ${s.replayed} replayed, ${s.replayedPublished} published, ${left} left`;
  const line = `once: ${plural(metricCount, "metric")}, ${s.collected} read, ${fresh} published in ${plural(s.requests, "request")}, ${plural(s.readFailures, "read failure")}, ${s.droppedTotal} dropped${backlog}`;
  if (complete) logger.info(line, agent.snapshot());
  else logger.error(line, agent.snapshot());
  await closeLogger(logger);
  return complete ? ExitCode.OK : ExitCode.NOT_DELIVERED;
};
