/** The sender `output` asks for: CloudWatch (PutMetricData), EMF on stdout or in a file, or a dry run. */
import type { Entity } from "@aws-sdk/client-cloudwatch";
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError, type CommandContext } from "../cli/context.js";
import { EMF_STDOUT, type Config } from "../config/types.js";
import type { Logger } from "../log.js";
import { MAX_DOCUMENT_BYTES, MAX_STDOUT_DOCUMENT_BYTES } from "../output/emf-limits.js";
import { fileEmfWriter } from "../output/file-emf-writer.js";
import { streamEmfWriter } from "../output/stream-emf-writer.js";
import { createCloudWatchSender } from "../publish/cloudwatch-sender.js";
import { createDryRunSender } from "../publish/dry-run-sender.js";
import { createEmfSender } from "../publish/emf-sender.js";
import type { Sender } from "../publish/sender.js";

/** Whether stdout carries data (a dry run's requests, EMF documents): then the logs go to stderr. */
export function stdoutCarriesData(config: Config | undefined, dryRun: boolean): boolean {
  return dryRun || (config?.output.type === "emf" && config.output.path === EMF_STDOUT);
}

/** A file target's folder must exist at start: every write would fail, datum after datum, otherwise. */
function checkEmfFolder(path: string): void {
  const folder = dirname(path);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // missing or unreadable: said below
  }
  if (!isFolder)
    throw new UsageError(
      `output.path: the folder ${folder} does not exist or is not a folder; create it (or mount a volume there) for ${path}`,
    );
}

export interface ChosenSender {
  readonly sender: Sender;
  /** The start line's fields that say where datums go. */
  readonly fields: Record<string, unknown>;
}

/** Where the platform put us (commands/platform-start.ts): the region (none in a dry run) and the entity. */
export interface SenderPlatform {
  readonly region: string | undefined;
  readonly entity: Entity | undefined;
}

export function chooseSender(
  config: Config,
  dryRun: boolean,
  context: CommandContext,
  logger: Logger,
  { region, entity }: SenderPlatform,
): ChosenSender {
  if (dryRun || region === undefined) {
    const sender = createDryRunSender((line) => {
      context.stdout.write(line);
    }, entity);
    return { sender, fields: { dryRun: true } };
  }
  const { output } = config;
  if (output.type === "emf") {
    const toStdout = output.path === EMF_STDOUT;
    if (!toStdout) checkEmfFolder(output.path);
    const writer = toStdout ? streamEmfWriter(process.stdout) : fileEmfWriter(output.path);
    const maxDocumentBytes = toStdout ? MAX_STDOUT_DOCUMENT_BYTES : MAX_DOCUMENT_BYTES;
    return {
      sender: createEmfSender(writer, { maxDocumentBytes }),
      fields: { output: `emf ${output.path}` },
    };
  }
  const sender = createCloudWatchSender({
    region,
    requestTimeoutMs: config.delivery.requestTimeoutMs,
    logger,
    entity,
  });
  return { sender, fields: { region } };
}
