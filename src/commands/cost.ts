/** `cost [--config FILE] [--format text|json]`: what a config will cost a month; no network, no credentials. */
import type { Command } from "../cli/context.js";
import { UsageError } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { loadForCommand } from "./load-for-command.js";
import { chooseConfig, configPathFromEnv, describeChoice, type ConfigChoice } from "../config/choose.js";
import { ExitCode } from "../exit-codes.js";
import { isSystemMetricName, SYSTEM_METRICS } from "../config/system-metrics.js";
import type { MetricConfig } from "../config/types.js";
import { estimateCost } from "../shaping/cost-estimate.js";
import { emfCostText, withEmfIngestion } from "./cost-emf.js";
import { renderCostText } from "../shaping/cost-text.js";
import { metricPlans, planInputs } from "../shaping/metric-plan.js";

export const COST_HELP = `Usage: cloudwatch-publisher cost [--config FILE] [--format text|json]

Estimates what a config costs a month (30 days) in CloudWatch: distinct series
(rollups included), datums and PutMetricData requests at the batching floor, and
USD at the us-east-1 public list price (the free tier noted, not subtracted),
per namespace and in total, plus what aggregate would save where a metric is
read more often than once a minute. No network access, no AWS credentials.
With no --config, estimates $CONFIG_FILE, else $CONFIG_YAML, else /config/config.yaml.

Options:
  -c, --config FILE   the config file
  --format text|json  text (default): a table per namespace; json: {"series",
                      "datumsPerMonth", "requestsPerMonth", "usdPerMonth":
                      {"metrics", "requests", "total"}, "namespaces": [...], ...}
  -h, --help          show this help

Exit codes: 0 the estimate was printed, 1 the config is invalid, 2 usage error
or a file that does not exist or cannot be read.
`;

export const cost: Command = async (args, { env, stdout, stderr }) => {
  const { values } = parseCommandArgs(
    "cost",
    args,
    {
      config: { type: "string", short: "c" },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help === true) {
    stdout.write(COST_HELP);
    return ExitCode.OK;
  }
  const format = values.format;
  if (format !== "text" && format !== "json")
    throw new UsageError(`cost: --format must be text or json (got "${format}")`);
  // Chosen as run and validate-config choose it; with none, the default path (which then does not exist).
  const chosen = chooseConfig(values.config, env);
  const choice: ConfigChoice =
    chosen.mode === "heartbeat"
      ? { mode: "file", path: configPathFromEnv(env).path, explicit: true }
      : chosen;
  const config = await loadForCommand(choice, env, stderr, `${describeChoice(choice)}: invalid, no estimate`);
  if (typeof config === "number") return config;
  const plans = metricPlans(planInputs(config.metrics), new Date());
  const estimate = estimateCost(plans);
  if (config.output.type === "emf") {
    const emf = withEmfIngestion(estimate, config, plans);
    stdout.write(
      format === "json" ? `${JSON.stringify(emf, null, 2)}\n` : renderCostText(emf) + emfCostText(emf),
    );
    return ExitCode.OK;
  }
  const found = seriesFoundAsRead(config.metrics);
  if (format === "json")
    stdout.write(`${JSON.stringify({ ...estimate, seriesFoundAsRead: found }, null, 2)}\n`);
  else stdout.write(renderCostText(estimate) + foundText(found));
  return ExitCode.OK;
};

/** The metrics whose series their source finds as it reads (counted as one series each in the estimate). */
function seriesFoundAsRead(metrics: readonly MetricConfig[]): string[] {
  return metrics
    .filter(({ source }) =>
      source.type === "prometheus"
        ? true
        : source.type === "system" &&
          isSystemMetricName(source.metric) &&
          SYSTEM_METRICS[source.metric].dimensions.length > 0 &&
          (source.metric !== "cpu.utilization" || source.perCpu === true),
    )
    .map((m) => `metrics[${m.index}] "${m.name}" (${m.source.type})`);
}

function foundText(found: readonly string[]): string {
  if (found.length === 0) return "";
  const which =
    found.length === 1
      ? "This metric finds its series as it reads, and counts as one series above"
      : `These ${found.length} metrics find their series as they read, and count as one series each above`;
  return `\n${which}:\n${found.join(", ")}.\n\`cloudwatch-publisher scrape URL\` shows how many series a Prometheus family has.\n`;
}
