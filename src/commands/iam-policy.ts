/** `iam-policy [--config FILE]`: prints the least-privilege IAM policy for the config, as JSON. */
import type { Command } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { formatConfigError } from "../config/issue.js";
import { ConfigFileError } from "../config/file-error.js";
import { chooseConfig } from "../config/choose.js";
import { loadConfigIsolated } from "../config/load-isolated.js";
import { ExitCode } from "../exit-codes.js";
import { iamPolicy } from "../iam-policy.js";

export const IAM_POLICY_HELP = `Usage: cloudwatch-publisher iam-policy [--config FILE]

Prints the least-privilege IAM policy for a config: cloudwatch:PutMetricData,
limited by the cloudwatch:namespace condition key to the config's namespaces.
The config is chosen as for run: --config, $CONFIG_FILE, /config/config.yaml,
else heartbeat mode's environment variables.

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
  let loaded;
  try {
    loaded = await loadConfigIsolated(chooseConfig(values.config, env), env);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    stderr.write(`${error.message}\n`);
    return ExitCode.USAGE;
  }
  if (!loaded.ok) {
    stderr.write(`${loaded.errors.map(formatConfigError).join("\n")}\n`);
    return ExitCode.INVALID_CONFIG;
  }
  stdout.write(`${JSON.stringify(iamPolicy(loaded.config), null, 2)}\n`);
  return ExitCode.OK;
};
