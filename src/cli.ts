#!/usr/bin/env node
/** argv → subcommand → exit code. No business logic lives here. */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UsageError, type Command, type CommandContext } from "./cli/context.js";
import { ExitCode } from "./exit-codes.js";
import { closest } from "./common/suggest.js";
import { packageVersion } from "./version.js";

/** How long the process may linger after its command has returned. */
const EXIT_GRACE_MS = 500;

/**
 * Each command's module is imported only when it runs, so the daemon never loads what only the
 * one-shot commands need (yaml and ajv run in a worker for `run`; see config/load-isolated.ts).
 */
interface Subcommand {
  readonly load: () => Promise<Command>;
  readonly summary: string;
}

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  run: {
    load: async () => (await import("./commands/run.js")).run,
    summary: "publish on schedule until stopped (the default command)",
  },
  once: {
    load: async () => (await import("./commands/once.js")).once,
    summary: "read every metric once, publish, exit 0 if all were accepted",
  },
  "validate-config": {
    load: async () => (await import("./commands/validate-config.js")).validateConfig,
    summary: "check config files; exit 0 valid, 1 invalid, 2 usage",
  },
  "print-schema": {
    load: async () => (await import("./commands/print-schema.js")).printSchema,
    summary: "print the config's JSON Schema",
  },
  "iam-policy": {
    load: async () => (await import("./commands/iam-policy.js")).iamPolicyCommand,
    summary: "print the least-privilege IAM policy for the config",
  },
  cost: {
    load: async () => (await import("./commands/cost.js")).cost,
    summary: "estimate what the config costs a month in CloudWatch (no network)",
  },
  scrape: {
    load: async () => (await import("./commands/scrape.js")).scrapeCommand,
    summary: "list what a Prometheus /metrics endpoint serves; --yaml: metric entries",
  },
  healthcheck: {
    load: async () => (await import("./commands/healthcheck.js")).healthcheck,
    summary: "exit 0 if the running publisher is alive and delivering (for HEALTHCHECK)",
  },
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  const list = Object.entries(SUBCOMMANDS)
    .map(([name, sub]) => `  ${name.padEnd(width)}  ${sub.summary}`)
    .join("\n");
  return `Usage: cloudwatch-publisher [command] [options]   (the command defaults to run)

Publishes custom metrics to Amazon CloudWatch.

Commands:
${list}

Options:
  -h, --help     show this help (or a command's: cloudwatch-publisher <command> --help)
  -v, --version  print the version

Exit codes: 0 ok, 1 invalid config, 2 usage error, 3 not delivered (once) or
an endpoint that could not be scraped (scrape),
70 internal error, 130 a second SIGTERM or SIGINT cut run's shutdown short.
`;
}

/** Runs one command line; returns the exit code. Never throws for a user's mistake. */
export async function main(argv: readonly string[], context: CommandContext): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === "-h" || first === "--help" || first === "help") {
      context.stdout.write(mainHelp());
      return ExitCode.OK;
    }
    if (first === "-v" || first === "--version") {
      context.stdout.write(`${packageVersion()}\n`);
      return ExitCode.OK;
    }
    // No command, or only options, means `run`: `docker run IMAGE --dry-run` works as expected.
    if (first === undefined || first.startsWith("-"))
      return await (
        await SUBCOMMANDS.run!.load()
      )(argv, context);
    const subcommand = SUBCOMMANDS[first];
    if (subcommand === undefined) {
      const match = closest(first, Object.keys(SUBCOMMANDS));
      throw new UsageError(
        `unknown command "${first}"${match === undefined ? "" : `; did you mean "${match}"?`}`,
      );
    }
    return await (
      await subcommand.load()
    )(rest, context);
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr.write(`cloudwatch-publisher: ${error.message}; see cloudwatch-publisher --help\n`);
      return ExitCode.USAGE;
    }
    const detail = context.env.LOG_LEVEL === "debug" ? `\n${(error as Error).stack ?? String(error)}` : "";
    context.stderr.write(
      `cloudwatch-publisher: internal error: ${(error as Error).message}; rerun with LOG_LEVEL=debug for details${detail}\n`,
    );
    return ExitCode.INTERNAL;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  const context: CommandContext = {
    env: process.env,
    stdout: { write: (text) => process.stdout.write(text) },
    stdin: process.stdin,
    stderr: { write: (text) => process.stderr.write(text) },
    stdoutIsTty: process.stdout.isTTY,
  };
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await main(process.argv.slice(2), context);
  // Everything is flushed by now; a socket or child some library left open must not hold the exit.
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}
