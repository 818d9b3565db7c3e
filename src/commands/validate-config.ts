/** `validate-config [FILE...] [--format text|json]`: for users' CI; no network, no credentials. */
import type { Command, CommandContext } from "../cli/context.js";
import { UsageError } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { FILE_PATH, formatConfigError, formatConfigWarning, type ConfigError } from "../config/issue.js";
import { ConfigFileError } from "../config/file-error.js";
import { loadConfigIsolated } from "../config/load-isolated.js";
import { configPathFromEnv, describeChoice, type ConfigChoice } from "../config/choose.js";
import { CONFIG_YAML_ORIGIN, CONFIG_YAML_VARIABLE } from "../config/config-yaml.js";
import { MAX_CONFIG_BYTES } from "../config/read-config-file.js";
import { setting, type Environment } from "../environment.js";
import { ExitCode } from "../exit-codes.js";
import { plural } from "../common/plural.js";

export const VALIDATE_CONFIG_HELP = `Usage: cloudwatch-publisher validate-config [FILE...] [--config FILE] [--format text|json]

Checks config files against the schema and the rules it cannot express (cron
expressions, time zones, dimension counts, duplicates), without network access
or AWS credentials. With no FILE, checks $CONFIG_FILE, else $CONFIG_YAML (the
config's text, located as $CONFIG_YAML:LINE:COL), else /config/config.yaml.
A FILE of - reads the config from standard input (located as (stdin):LINE:COL).

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

const STDIN = "-";
const STDIN_ORIGIN = "(stdin)";

function fileOrStdin(name: string): ConfigChoice | typeof STDIN {
  return name === STDIN ? STDIN : { mode: "file", path: name, explicit: true };
}

/** No FILE named: $CONFIG_FILE, else $CONFIG_YAML, else the default path (which must then exist). */
function unnamedChoice(env: Environment): ConfigChoice {
  const fromEnv = configPathFromEnv(env);
  const text = setting(env, CONFIG_YAML_VARIABLE);
  if (!fromEnv.explicit && text !== undefined) return { mode: "text", origin: CONFIG_YAML_ORIGIN, text };
  return { mode: "file", path: fromEnv.path, explicit: true };
}

/** Standard input, read up to one byte past the limit (the loader reports a config that is too large). */
async function stdinChoice(context: CommandContext): Promise<ConfigChoice> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of context.stdin ?? []) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    chunks.push(buffer);
    bytes += buffer.length;
    if (bytes > MAX_CONFIG_BYTES) break;
  }
  return { mode: "text", origin: STDIN_ORIGIN, text: Buffer.concat(chunks).toString("utf8") };
}

export const validateConfig: Command = async (args, context) => {
  const { env, stdout } = context;
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
  const choices = named.length > 0 ? named.map(fileOrStdin) : [unnamedChoice(env)];

  let exitCode: number = ExitCode.OK;
  const all: (ConfigError & { severity: "error" | "warning" })[] = [];
  const lines: string[] = [];
  for (const named of choices) {
    const file = named === STDIN ? STDIN_ORIGIN : describeChoice(named);
    try {
      const choice = named === STDIN ? await stdinChoice(context) : named;
      const result = await loadConfigIsolated(choice, env);
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
