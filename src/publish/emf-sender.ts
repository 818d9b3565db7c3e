/**
 * `output: emf`: a Sender that writes each request's datums as EMF documents instead of calling
 * PutMetricData, so the outbox, retries, drop counters and health work exactly as for CloudWatch.
 * A failed write is "transient": the datums stay in the outbox and are written again later, and
 * /readyz fails once the oldest waits longer than health.maxUndeliveredAge. A datum EMF cannot carry
 * is refused as "invalid", naming its member, so delivery drops that one (logged and counted) and
 * writes the rest; nothing of a refused request is written.
 */
import type { Datum } from "../cloudwatch/datum.js";
import { encodeEmf } from "../output/emf-encoder.js";
import type { EmfWriter } from "../output/emf-writer.js";
import type { Sender, SendResult } from "./sender.js";

export class EmfWriteError extends Error {
  override name = "EmfWriteError";
}

export class EmfUnsupportedError extends Error {
  override name = "EmfUnsupported";
}

export interface EmfSenderOptions {
  /** The most bytes one document may have (see README "EMF output"). */
  readonly maxDocumentBytes: number;
}

export function createEmfSender(writer: EmfWriter, options: EmfSenderOptions): Sender {
  return {
    wording: { request: "EMF write", receiver: "the EMF output" },
    async send(_namespace: string, datums: readonly Datum[], signal: AbortSignal): Promise<SendResult> {
      const { documents, rejected } = encodeEmf(datums, { maxDocumentBytes: options.maxDocumentBytes });
      const first = rejected[0];
      if (first !== undefined) {
        // The member's number in delivery's own words (MetricData.member.N), so it isolates exactly that datum.
        const member = datums.indexOf(first.datum as Datum) + 1;
        const error = new EmfUnsupportedError(
          `EMF cannot carry MetricData.member.${member}: metric "${first.datum.metric.name}" ${first.reason}`,
        );
        return { ok: false, error, failure: "invalid" };
      }
      if (signal.aborted) return { ok: false, error: new Error("aborted"), failure: "aborted" };
      const result = await writer.write(documents);
      if (result.ok) return { ok: true };
      return {
        ok: false,
        error: new EmfWriteError(result.message, { cause: result.error }),
        failure: "transient",
      };
    },
    close() {
      void writer.close();
    },
  };
}
