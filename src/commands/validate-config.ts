/** `validate-config [FILE...] [--format text|json]`: for users' CI; no network, no credentials. */
import type { Command } from "../cli/context.js";
import { UsageError } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { FILE_PATH, formatConfigError, formatConfigWarning, type ConfigError } from "../config/issue.js";
import { ConfigFileError } from "../config/file-error.js";
import { loadConfigIsolated } from "../config/load-isolated.js";
import { configPathFromEnv } from "../config/choose.js";
import { ExitCode } from "../exit-codes.js";
import { plural } from "../common/plural.js";

export const VALIDATE_CONFIG_HELP = `Usage: cloudwatch-publisher validate-config [FILE...] [--config FILE] [--format text|json]

Checks config files against the schema and the rules it cannot express (cron
expressions, time zones, dimension counts, duplicates), without network access
or AWS credentials. With no FILE, checks $CONFIG_FILE, else /config/config.yaml.

Checks the names of \${aws:...} and \${ecs:...} placeholders, without asking any
instance or task metadata. Warns (without failing) when a \${VAR} is put into a
shell script (sh -c).

Options:
  -c, --config FILE   a file to check, as for run and once (may be repeated;
                      the same as naming it as an argument)
  --format text|json  text (default): one line per error, FILE:LINE:COL: PATH: MESSAGE
                      json: a JSON array of {file, line, column, variable, path, message,
                      severity} where severity is "error" or "warning"
  -h, --help          show this help

Exit codes: 0 every file is valid, 1 a file is invalid, 2 usage error or a file
that does not exist or cannot be read.
`;

export const validateConfig: Command = async (args, { env, stdout }) => {
  const { values, positionals } = parseCommandArgs(
    "validate-config",
    args,
    {
      config: { type: "string", short: "c", multiple: true },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  if (values.help === true) {
    stdout.write(VALIDATE_CONFIG_HELP);
    return ExitCode.OK;
  }
  const format = values.format;
  if (format !== "text" && format !== "json") {
    throw new UsageError(`validate-config: --format must be text or json (got "${format}")`);
  }
  const named = [...(values.config ?? []), ...positionals];
  const files = named.length > 0 ? named : [configPathFromEnv(env).path];

  let exitCode: number = ExitCode.OK;
  const all: (ConfigError & { severity: "error" | "warning" })[] = [];
  const lines: string[] = [];
  for (const file of files) {
    try {
      const result = await loadConfigIsolated({ mode: "file", path: file, explicit: true }, env);
      const warnings = result.warnings ?? [];
      all.push(...warnings.map((warning) => ({ ...warning, severity: "warning" as const })));
      lines.push(...warnings.map(formatConfigWarning));
      const warned = warnings.length === 0 ? "" : `, ${plural(warnings.length, "warning")}`;
      if (result.ok) {
        lines.push(`${file}: valid (${plural(result.config.metrics.length, "metric")}${warned})`);
        continue;
      }
      exitCode = Math.max(exitCode, ExitCode.INVALID_CONFIG);
      all.push(...result.errors.map((error) => ({ ...error, severity: "error" as const })));
      lines.push(...result.errors.map(formatConfigError));
      const n = result.errors.length;
      const count = result.moreErrors === true ? `more than ${n - 1} errors` : plural(n, "error");
      lines.push(`${file}: invalid (${count}${warned})`);
    } catch (error) {
      if (!(error instanceof ConfigFileError)) throw error;
      exitCode = Math.max(exitCode, ExitCode.USAGE);
      all.push({
        file,
        line: undefined,
        column: undefined,
        variable: undefined,
        path: FILE_PATH,
        message: error.reason,
        severity: "error",
      });
      lines.push(error.message);
    }
  }
  stdout.write(format === "json" ? `${JSON.stringify(all, null, 2)}\n` : `${lines.join("\n")}\n`);
  return exitCode;
};
