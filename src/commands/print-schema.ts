/** `print-schema`: the config's JSON Schema, for editors and other tools. */
import type { Command } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { UsageError } from "../cli/context.js";
import { configSchema, configSchemaText } from "../config/schema.js";
import { schemaTable } from "../config/schema-table.js";
import { ExitCode } from "../exit-codes.js";

export const PRINT_SCHEMA_HELP = `Usage: cloudwatch-publisher print-schema [--format json|markdown]

Prints the JSON Schema (draft 2020-12) that config files are validated against.
Point an editor at it with a first line like:
  # yaml-language-server: $schema=./config.schema.json

Options:
  --format json|markdown  json (default): the schema itself; markdown: a table of every field
  -h, --help              show this help
`;

export const printSchema: Command = async (args, { stdout }) => {
  const { values } = parseCommandArgs(
    "print-schema",
    args,
    { format: { type: "string", default: "json" }, help: { type: "boolean", short: "h" } },
    false,
  );
  if (values.help === true) {
    stdout.write(PRINT_SCHEMA_HELP);
  } else if (values.format === "json") {
    stdout.write(configSchemaText());
  } else if (values.format === "markdown") {
    stdout.write(schemaTable(configSchema()));
  } else {
    throw new UsageError(`print-schema: --format must be json or markdown (got "${values.format}")`);
  }
  return Promise.resolve(ExitCode.OK);
};
