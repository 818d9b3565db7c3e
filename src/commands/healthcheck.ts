/** `healthcheck`: for the container's HEALTHCHECK; reads the running process's status file, no network. */
import type { Command } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { ExitCode } from "../exit-codes.js";
import { assessHealth } from "../health/assess.js";
import { readStatusFile, statusFilePath } from "../health/status-file.js";

/** Docker's HEALTHCHECK reads 0 as healthy and 1 as unhealthy. */
export const UNHEALTHY = 1;

export const HEALTHCHECK_HELP = `Usage: cloudwatch-publisher healthcheck [--live]

Exits 0 when the publisher running in this container (or on this host) is alive
and delivering, 1 otherwise, with one line saying why. It reads the status file
the running process rewrites every 5 seconds ($HEALTH_FILE, default
$TMPDIR/cloudwatch-publisher-health.json); it makes no network call.

Options:
  --live      only check that the process is alive (not that it is delivering)
  -h, --help  show this help
`;

export const healthcheck: Command = (args, { env, stdout }) => {
  const { values } = parseCommandArgs(
    "healthcheck",
    args,
    { live: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    false,
  );
  if (values.help === true) {
    stdout.write(HEALTHCHECK_HELP);
    return Promise.resolve(ExitCode.OK);
  }
  const path = statusFilePath(env);
  let status;
  try {
    status = readStatusFile(path);
  } catch (error) {
    stdout.write(
      `unhealthy: no status at ${path} (${(error as Error).message}); is cloudwatch-publisher running?\n`,
    );
    return Promise.resolve(UNHEALTHY);
  }
  const now = Date.now();
  const verdict = assessHealth(status, now);
  // --live is a liveness check: delivery (credentials, a backlog) is not its business.
  const live = values.live === true;
  const healthy = live ? verdict.alive : verdict.ready;
  const reasons = live ? verdict.livenessReasons : verdict.reasons;
  const well = live
    ? `alive (the scheduler is running; last report ${Math.max(0, Math.round((now - status.beatAt) / 1000))} s ago)`
    : "alive and delivering";
  stdout.write(`${healthy ? "healthy" : "unhealthy"}: ${reasons.length === 0 ? well : reasons.join("; ")}\n`);
  return Promise.resolve(healthy ? ExitCode.OK : UNHEALTHY);
};
