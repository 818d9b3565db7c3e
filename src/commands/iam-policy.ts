/** `iam-policy [--config FILE]`: prints the least-privilege IAM policy for the config, as JSON. */
import type { Command } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { chooseConfig, DEFAULT_CONFIG_PATH, describeChoice, heartbeatWarning } from "../config/choose.js";
import { loadForCommand } from "./load-for-command.js";
import { ExitCode } from "../exit-codes.js";
import { iamPolicy } from "../cloudwatch/iam-policy.js";

export const IAM_POLICY_HELP = `Usage: cloudwatch-publisher iam-policy [--config FILE]

Prints the least-privilege IAM policy for a config: cloudwatch:PutMetricData,
limited by the cloudwatch:namespace condition key to the config's namespaces.
With output: emf nothing calls CloudWatch, so no CloudWatch permission is
needed: it prints no policy (IAM has no empty one) and says why on stderr.
The config is chosen as for run: --config, $CONFIG_FILE, $CONFIG_YAML,
/config/config.yaml, else heartbeat mode's environment variables. Which one it describes is said on
stderr, so stdout holds only the policy's JSON.

Options:
  -c, --config FILE  the config file
  -h, --help         show this help
`;

export const iamPolicyCommand: Command = async (args, { env, stdout, stderr }) => {
  const { values } = parseCommandArgs(
    "iam-policy",
    args,
    { config: { type: "string", short: "c" }, help: { type: "boolean", short: "h" } },
    false,
  );
  if (values.help === true) {
    stdout.write(IAM_POLICY_HELP);
    return ExitCode.OK;
  }
  const choice = chooseConfig(values.config, env);
  const config = await loadForCommand(choice, env, stderr);
  if (typeof config === "number") return config;
  const { output } = config;
  if (output.type === "emf") {
    stderr.write(
      `iam-policy: ${describeChoice(choice)} has output: emf (${output.path}), which makes no AWS call: no CloudWatch permission is needed. The EMF lines become metrics through the log driver (ECS awslogs, Fluent Bit, the CloudWatch agent), whose own role needs logs:CreateLogStream and logs:PutLogEvents (and logs:CreateLogGroup if it creates the group)\n`,
    );
    return ExitCode.OK;
  }
  const policy = iamPolicy(config.metrics.map((metric) => metric.namespace));
  const namespaces = policy.Statement[0]!.Condition.StringEquals["cloudwatch:namespace"];
  const of = `namespace${namespaces.length === 1 ? "" : "s"} ${namespaces.map((n) => JSON.stringify(n)).join(", ")}`;
  if (choice.mode !== "heartbeat") {
    stderr.write(`iam-policy: the policy for ${describeChoice(choice)} (${of})\n`);
  } else {
    const stray = heartbeatWarning();
    if (stray !== undefined) stderr.write(`iam-policy: ${stray}\n`);
    stderr.write(
      `iam-policy: no config (--config, $CONFIG_FILE, $CONFIG_YAML or ${DEFAULT_CONFIG_PATH}), so this is heartbeat mode's policy, for ${of} (METRIC_NAMESPACE); pass --config FILE for a config's\n`,
    );
  }
  stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return ExitCode.OK;
};
