/**
 * What happens to a batch after it is cut: send it; on success mark it delivered; when CloudWatch
 * refuses it as invalid, drop only the offending datum(s) and send the rest; as too large, send its
 * halves; on any other failure keep it in the outbox. What awaits retry is sent again oldest first
 * (backlog.ts): at once as soon as any request succeeds, else after a backoff (retry-policy.ts).
 */
import type { Logger } from "../log.js";
import { plural } from "../common/plural.js";
import type { Stats } from "../pipeline/stats.js";
import type { Outbox, OutboxEntry } from "./outbox/outbox.js";
import { sendBacklog } from "./backlog.js";
import type { InFlightLimit } from "./in-flight-limit.js";
import { backoffMs, type RetryPolicy } from "./retry-policy.js";

/** Credential and permission errors are logged at most once a minute with their hint; the datums are kept. */
export const CREDENTIAL_LOG_INTERVAL_MS = 60_000;
/** `MetricData.member.3`, or in a request with an entity `EntityMetricData.member.1.MetricData.member.3`. */
const OFFENDING_MEMBER = /(?:EntityMetricData\.member\.\d+\.)?MetricData\.member\.(\d+)/;

export interface DeliveryOptions {
  readonly inFlightLimit: InFlightLimit;
  readonly outbox: Outbox;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  /** For tests: a number in [0, 1) for jitter. */
  readonly random?: () => number;
}

export class Delivery {
  /** Failed requests since the last success. */
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The backlog being sent, while it is. */
  private backlog: Promise<void> | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private lastCredentialLog = -Infinity;
  private credentialsFailing = false;
  private stopped = false;
  private abandonedDatums = 0;

  constructor(private readonly options: DeliveryOptions) {}

  /** Whether the last answer was a credential or permission error (for the readiness check). */
  get credentialsFailed(): boolean {
    return this.credentialsFailing;
  }

  /** Datums in requests abandoned at the shutdown deadline without an answer. */
  get abandoned(): number {
    return this.abandonedDatums;
  }

  /** Sends a fresh batch; resolves when it is settled (delivered, dropped or waiting). Never rejects. */
  async deliver(namespace: string, entries: readonly OutboxEntry[]): Promise<void> {
    await this.track(this.send(namespace, entries));
  }

  /** Starts sending what the outbox holds from an earlier run, probing with one request first. */
  resume(): void {
    if (this.options.outbox.awaitingRetry > 0) this.startBacklog(false);
  }

  /** Resolves when every batch handed over so far, and the backlog being sent, is settled. */
  async settle(): Promise<void> {
    while (this.pending.size > 0 || this.backlog !== undefined) {
      await Promise.all([...this.pending, this.backlog]);
    }
  }

  /**
   * At shutdown: keeps sending what waits, with short pauses, until it is all delivered, the
   * deadline passes or `giveUp` says there is no point. Stops the backoff timer either way.
   */
  async drain(deadline: number, giveUp: () => boolean = () => false): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.settle();
    const { outbox, now } = this.options;
    while (outbox.awaitingRetry > 0 && now() < deadline && !giveUp()) {
      await this.track(this.sendBacklog(this.failures === 0));
      if (outbox.awaitingRetry > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(deadline - now(), 0))));
      }
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const done = work.finally(() => this.pending.delete(done));
    this.pending.add(done);
    return work;
  }

  /** Sends one request's datums and settles them. Resolves whether CloudWatch answered the request. */
  private async send(namespace: string, entries: readonly OutboxEntry[]): Promise<boolean> {
    const { inFlightLimit, outbox, logger } = this.options;
    outbox.persist();
    const result = await inFlightLimit.send(namespace, entries);
    if (result.ok) {
      outbox.delivered(entries);
      const failed = this.failures;
      this.failures = 0;
      this.credentialsFailing = false;
      if (outbox.awaitingRetry > 0 && !this.stopped) {
        if (failed > 0) {
          logger.info(
            `${inFlightLimit.wording.receiver} accepts requests again after ${failed} failed; sending the ${outbox.awaitingRetry} datums waiting in the outbox now`,
            { failedRequests: failed, waiting: outbox.awaitingRetry },
          );
        }
        this.startBacklog(true);
      }
      return true;
    }
    switch (result.failure) {
      case "invalid":
        await this.isolate(namespace, entries, result.error);
        return true;
      case "tooLarge":
        await this.split(namespace, entries, result.error);
        return true;
      case "aborted":
        this.abandonedDatums += entries.length;
        outbox.markForRetry(entries);
        return false;
      case "credentials":
        this.keep(namespace, entries, result.error, result.hint ?? "check the credentials");
        return false;
      case "transient":
        this.keep(namespace, entries, result.error, undefined);
        return false;
    }
  }

  /** A failure that may pass: the datums wait in the outbox, and a retry is scheduled. */
  /** `credentialsHint`: set when the credentials are the problem, with what to do about it. */
  private keep(
    namespace: string,
    entries: readonly OutboxEntry[],
    error: Error,
    credentialsHint: string | undefined,
  ): void {
    const { outbox, logger } = this.options;
    outbox.markForRetry(entries);
    this.failures++;
    const name = error.name;
    this.credentialsFailing = credentialsHint !== undefined;
    if (credentialsHint !== undefined) {
      const now = this.options.now();
      if (now - this.lastCredentialLog >= CREDENTIAL_LOG_INTERVAL_MS) {
        this.lastCredentialLog = now;
        logger.error(
          `AWS credentials problem (${name}): ${credentialsHint}; ${plural(outbox.depth, "datum")} wait in the outbox`,
          {
            error: name,
            outboxDepth: outbox.depth,
          },
        );
      }
    } else {
      logger.warn(
        `${this.options.inFlightLimit.wording.request} for namespace "${namespace}" failed (${name}: ${error.message}); ${plural(entries.length, "datum")} wait in the outbox for a retry`,
        { namespace, error: name, datums: entries.length, outboxDepth: outbox.depth },
      );
    }
    this.scheduleRetry(backoffMs(this.failures, this.options.retry, this.options.random ?? Math.random));
  }

  /**
   * CloudWatch refused the request as invalid. Its message names the offending member
   * (`MetricData.member.3`): drop that one and send the rest. Without a name, split the batch in
   * halves until the bad datum is alone.
   */
  private async isolate(namespace: string, entries: readonly OutboxEntry[], error: Error): Promise<void> {
    const { outbox, logger } = this.options;
    const member = OFFENDING_MEMBER.exec(error.message);
    const index = member === null ? -1 : Number(member[1]) - 1;
    if (entries.length === 1 || (index >= 0 && index < entries.length)) {
      const bad = entries.length === 1 ? entries[0]! : entries[index]!;
      logger.error(
        `metric "${bad.metric.name}": ${this.options.inFlightLimit.wording.receiver} rejected the datum (${error.name}: ${error.message}); dropped it`,
        { metric: bad.metric.name, namespace, reason: "rejected", error: error.name },
      );
      outbox.drop([bad], "rejected");
      const rest = entries.filter((e) => e !== bad);
      if (rest.length > 0) await this.send(namespace, rest);
      return;
    }
    await this.sendHalves(namespace, entries);
  }

  /**
   * CloudWatch refused the request for its size (HTTP 413). The batching rule keeps requests under
   * the limit, so this means the limit or the encoding differ from what the rule assumes: never send
   * the same request again; send its halves. A single datum too large for any request is dropped.
   */
  private async split(namespace: string, entries: readonly OutboxEntry[], error: Error): Promise<void> {
    const { outbox, logger } = this.options;
    if (entries.length === 1) {
      const bad = entries[0]!;
      logger.error(
        `metric "${bad.metric.name}": CloudWatch refused a request holding only this datum as too large (${error.name}: ${error.message}); dropped it`,
        { metric: bad.metric.name, namespace, reason: "rejected", error: error.name },
      );
      outbox.drop([bad], "rejected");
      return;
    }
    logger.warn(
      `PutMetricData for namespace "${namespace}": CloudWatch refused ${entries.length} datums as too large (${error.name}); sending them in two halves`,
      { namespace, error: error.name, datums: entries.length },
    );
    await this.sendHalves(namespace, entries);
  }

  private async sendHalves(namespace: string, entries: readonly OutboxEntry[]): Promise<void> {
    const half = Math.ceil(entries.length / 2);
    await Promise.all([
      this.send(namespace, entries.slice(0, half)),
      this.send(namespace, entries.slice(half)),
    ]);
  }

  private scheduleRetry(delayMs: number): void {
    if (this.stopped || this.retryTimer !== undefined || this.backlog !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.startBacklog(this.failures === 0);
    }, delayMs);
    this.retryTimer.unref();
  }

  /** Starts sending the backlog unless it is being sent already; a running backoff timer is cancelled. */
  private startBacklog(confirmed: boolean): void {
    if (this.stopped || this.backlog !== undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.backlog = this.sendBacklog(confirmed).finally(() => {
      this.backlog = undefined;
      // It ends with datums waiting only when a request failed: then the backoff applies.
      if (this.options.outbox.awaitingRetry > 0)
        this.scheduleRetry(backoffMs(this.failures, this.options.retry, this.options.random ?? Math.random));
    });
  }

  private sendBacklog(confirmed: boolean): Promise<void> {
    const { outbox, stats } = this.options;
    return sendBacklog(outbox, stats, (namespace, entries) => this.send(namespace, entries), confirmed);
  }
}
