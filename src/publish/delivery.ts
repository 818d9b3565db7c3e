/**
 * What happens to a batch after it is cut: send it; on success mark it delivered; when CloudWatch
 * refuses it as invalid, find and drop only the offending datum(s) and send the rest; on any other
 * failure (network, 5xx, throttling, credentials) keep it in the outbox and retry, oldest first,
 * with exponential backoff and jitter.
 */
import type { Logger } from "../log.js";
import { plural } from "../plural.js";
import type { Stats } from "../stats.js";
import type { Outbox, OutboxEntry } from "./outbox.js";
import { MAX_REQUESTS_IN_FLIGHT, type Publisher } from "./publisher.js";

/** Credential and permission errors: logged at most once a minute with a hint, datums kept. */
export const CREDENTIAL_ERROR_HINTS: Readonly<Record<string, string>> = {
  AccessDenied:
    "the credentials may not call cloudwatch:PutMetricData for this namespace; see `cloudwatch-publisher iam-policy`",
  AccessDeniedException:
    "the credentials may not call cloudwatch:PutMetricData for this namespace; see `cloudwatch-publisher iam-policy`",
  InvalidClientTokenId: "the access key ID does not exist; check AWS_ACCESS_KEY_ID or the profile",
  UnrecognizedClientException: "the access key ID or session token is not recognised; check the credentials",
  SignatureDoesNotMatch:
    "the secret access key does not match the key ID, or the clock is off; check AWS_SECRET_ACCESS_KEY and the system time",
  ExpiredToken: "the session token has expired; refresh the credentials",
  ExpiredTokenException: "the session token has expired; refresh the credentials",
  IncompleteSignature: "the request signature is incomplete; check the credentials",
  MissingAuthenticationToken: "no credentials were sent; check the credentials",
  CredentialsProviderError:
    "no AWS credentials were found; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a task/instance role",
};
export const CREDENTIAL_LOG_INTERVAL_MS = 60_000;
const OFFENDING_MEMBER = /MetricData\.member\.(\d+)/;

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface DeliveryOptions {
  readonly publisher: Publisher;
  readonly outbox: Outbox;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  /** For tests: a number in [0, 1) for jitter. */
  readonly random?: () => number;
}

export class Delivery {
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying: Promise<void> | undefined;
  private readonly pending = new Set<Promise<void>>();
  private lastCredentialLog = -Infinity;
  private credentialsFailing = false;
  private stopped = false;

  constructor(private readonly options: DeliveryOptions) {}

  /** Whether the last answer was a credential or permission error (for the readiness check). */
  get credentialsFailed(): boolean {
    return this.credentialsFailing;
  }

  /** Sends a fresh batch; resolves when it is settled (delivered, dropped or waiting). Never rejects. */
  deliver(namespace: string, entries: readonly OutboxEntry[]): Promise<void> {
    const sent = this.send(namespace, entries).finally(() => this.pending.delete(sent));
    this.pending.add(sent);
    return sent;
  }

  /** Starts sending what the outbox holds from an earlier run. */
  resume(): void {
    if (this.options.outbox.waiting > 0) this.scheduleRetry(0);
  }

  /** Resolves when every batch handed over so far is settled. */
  async settle(): Promise<void> {
    while (this.pending.size > 0 || this.retrying !== undefined) {
      await Promise.all([...this.pending, this.retrying]);
    }
  }

  /**
   * At shutdown: keeps retrying what waits, with short pauses, until it is all delivered, the
   * deadline passes or `giveUp` says there is no point. Stops the backoff timer either way.
   */
  async drain(deadline: number, giveUp: () => boolean = () => false): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.settle();
    const { outbox, now } = this.options;
    while (outbox.waiting > 0 && now() < deadline && !giveUp()) {
      const before = outbox.waiting;
      await this.retryRound();
      if (outbox.waiting >= before) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(deadline - now(), 0))));
      }
    }
  }

  private async send(namespace: string, entries: readonly OutboxEntry[]): Promise<void> {
    const { publisher, outbox, stats, logger } = this.options;
    outbox.persist();
    const result = await publisher.send(namespace, entries);
    if (result.ok) {
      outbox.delivered(entries);
      stats.published += entries.length;
      this.failures = 0;
      this.credentialsFailing = false;
      return;
    }
    const name = result.error.name;
    if (!result.retryable) {
      await this.isolate(namespace, entries, result.error);
      return;
    }
    outbox.wait(entries);
    this.failures++;
    const hint = CREDENTIAL_ERROR_HINTS[name];
    this.credentialsFailing = hint !== undefined;
    if (hint !== undefined) {
      const now = this.options.now();
      if (now - this.lastCredentialLog >= CREDENTIAL_LOG_INTERVAL_MS) {
        this.lastCredentialLog = now;
        logger.error(
          `AWS credentials problem (${name}): ${hint}; ${plural(outbox.depth, "datum")} wait in the outbox`,
          {
            error: name,
            outboxDepth: outbox.depth,
          },
        );
      }
    } else {
      logger.warn(
        `PutMetricData for namespace "${namespace}" failed (${name}: ${result.error.message}); ${plural(entries.length, "datum")} wait in the outbox for a retry`,
        { namespace, error: name, datums: entries.length, outboxDepth: outbox.depth },
      );
    }
    this.scheduleRetry(this.backoffMs());
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
        `metric "${bad.metric.name}": CloudWatch rejected the datum (${error.name}: ${error.message}); dropped it`,
        { metric: bad.metric.name, namespace, reason: "rejected", error: error.name },
      );
      outbox.drop([bad], "rejected");
      const rest = entries.filter((e) => e !== bad);
      if (rest.length > 0) await this.send(namespace, rest);
      return;
    }
    const half = Math.ceil(entries.length / 2);
    await Promise.all([
      this.send(namespace, entries.slice(0, half)),
      this.send(namespace, entries.slice(half)),
    ]);
  }

  /** Exponential backoff with full jitter, capped. */
  private backoffMs(): number {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(this.failures - 1, 30));
    const random = this.options.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  private scheduleRetry(delayMs: number): void {
    if (this.stopped || this.retryTimer !== undefined || this.retrying !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retrying = this.retryRound().finally(() => {
        this.retrying = undefined;
        if (this.options.outbox.waiting > 0) this.scheduleRetry(this.failures === 0 ? 0 : this.backoffMs());
      });
    }, delayMs);
    this.retryTimer.unref();
  }

  /** One round: drop what expired, then send the oldest waiting datums, a few batches at a time. */
  private async retryRound(): Promise<void> {
    const { outbox, stats } = this.options;
    outbox.expire();
    const batches = outbox.takeWaiting(MAX_REQUESTS_IN_FLIGHT);
    await Promise.all(
      batches.map((batch) => {
        stats.retried += batch.length;
        return this.send(batch[0]!.metric.namespace, batch);
      }),
    );
  }
}
