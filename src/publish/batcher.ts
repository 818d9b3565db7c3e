/**
 * Gathers datums per namespace into PutMetricData-sized batches: cut at 1000 datums or before the
 * body would pass 1 MB, and otherwise after a short linger, so reads of one tick share requests.
 */
import { datumBytes } from "./datum.js";
import { MAX_DATUMS_PER_REQUEST, MAX_REQUEST_BYTES } from "./limits.js";
import type { OutboxEntry } from "./outbox.js";

/** How long the first datum of a batch waits for others before the batch goes out. */
export const LINGER_MS = 20;
/** `{"Namespace":,"MetricData":[]}` around the datums. */
const REQUEST_ENVELOPE_BYTES = 32;

function envelopeBytes(namespace: string): number {
  return REQUEST_ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(namespace));
}

export type Dispatch = (namespace: string, entries: readonly OutboxEntry[]) => Promise<void>;

interface Pending {
  entries: OutboxEntry[];
  bytes: number;
}

export class Batcher {
  private readonly buffers = new Map<string, Pending>();
  private readonly dispatched = new Set<Promise<void>>();
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dispatch: Dispatch,
    private readonly lingerMs: number = LINGER_MS,
  ) {}

  add(entry: OutboxEntry): void {
    const namespace = entry.metric.namespace;
    let buffer = this.buffers.get(namespace);
    if (buffer === undefined) {
      buffer = { entries: [], bytes: envelopeBytes(namespace) };
      this.buffers.set(namespace, buffer);
    }
    const size = datumBytes(entry);
    if (buffer.entries.length > 0 && buffer.bytes + size > MAX_REQUEST_BYTES) this.cut(namespace, buffer);
    buffer.entries.push(entry);
    buffer.bytes += size;
    if (buffer.entries.length >= MAX_DATUMS_PER_REQUEST) this.cut(namespace, buffer);
    else
      this.lingerTimer ??= setTimeout(() => {
        this.cutAll();
      }, this.lingerMs);
  }

  /** Sends everything gathered now and resolves when every batch sent so far has been handled. */
  async flush(): Promise<void> {
    this.cutAll();
    while (this.dispatched.size > 0) await Promise.all(this.dispatched);
  }

  /** Datums gathered but not yet handed on. */
  get buffered(): number {
    let count = 0;
    for (const buffer of this.buffers.values()) count += buffer.entries.length;
    return count;
  }

  private cutAll(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    for (const [namespace, buffer] of this.buffers)
      if (buffer.entries.length > 0) this.cut(namespace, buffer);
  }

  private cut(namespace: string, buffer: Pending): void {
    const entries = buffer.entries;
    buffer.entries = [];
    buffer.bytes = envelopeBytes(namespace);
    const sent = this.dispatch(namespace, entries).finally(() => this.dispatched.delete(sent));
    this.dispatched.add(sent);
  }
}
