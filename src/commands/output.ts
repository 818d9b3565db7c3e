/** The sender `output` asks for: CloudWatch (PutMetricData), EMF on stdout or in a file, or a dry run. */
import type { CommandContext } from "../cli/context.js";
import { EMF_STDOUT, type Config } from "../config/types.js";
import type { Logger } from "../log.js";
import { MAX_DOCUMENT_BYTES, MAX_STDOUT_DOCUMENT_BYTES } from "../output/emf-limits.js";
import { fileEmfWriter } from "../output/file-emf-writer.js";
import { streamEmfWriter } from "../output/stream-emf-writer.js";
import { createCloudWatchSender, resolveRegion } from "../publish/cloudwatch-sender.js";
import { createDryRunSender } from "../publish/dry-run-sender.js";
import { createEmfSender } from "../publish/emf-sender.js";
import type { Sender } from "../publish/sender.js";

/** Whether stdout carries data (a dry run's requests, EMF documents): then the logs go to stderr. */
export function stdoutCarriesData(config: Config | undefined, dryRun: boolean): boolean {
  return dryRun || (config?.output.type === "emf" && config.output.path === EMF_STDOUT);
}

export interface ChosenSender {
  readonly sender: Sender;
  /** The start line's fields that say where datums go. */
  readonly fields: Record<string, unknown>;
}

export async function chooseSender(
  config: Config,
  dryRun: boolean,
  context: CommandContext,
  logger: Logger,
): Promise<ChosenSender> {
  if (dryRun) {
    const sender = createDryRunSender((line) => {
      context.stdout.write(line);
    });
    return { sender, fields: { dryRun: true } };
  }
  const { output } = config;
  if (output.type === "emf") {
    const toStdout = output.path === EMF_STDOUT;
    const writer = toStdout ? streamEmfWriter(process.stdout) : fileEmfWriter(output.path);
    const maxDocumentBytes = toStdout ? MAX_STDOUT_DOCUMENT_BYTES : MAX_DOCUMENT_BYTES;
    return {
      sender: createEmfSender(writer, { maxDocumentBytes }),
      fields: { output: `emf ${output.path}` },
    };
  }
  const choiceOfRegion = await resolveRegion();
  const region = choiceOfRegion.region;
  if (choiceOfRegion.fallback) {
    logger.info(`no AWS region configured (AWS_REGION, AWS_DEFAULT_REGION or a profile); using ${region}`);
  }
  const sender = createCloudWatchSender({
    region,
    requestTimeoutMs: config.delivery.requestTimeoutMs,
    logger,
  });
  return { sender, fields: { region } };
}
