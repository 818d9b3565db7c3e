/**
 * Gathers datums per namespace and hands them on as PutMetricData requests cut by `partition`: at
 * once when a request is full, otherwise after a short linger, so reads of one tick share requests.
 */
import { datumBytes } from "../cloudwatch/datum.js";
import type { OutboxEntry } from "./outbox/outbox.js";
import { fillsRequest, partition } from "./partition.js";

/** How long the first datum of a batch waits for others before the batch goes out. */
export const LINGER_MS = 20;

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
      buffer = { entries: [], bytes: 0 };
      this.buffers.set(namespace, buffer);
    }
    buffer.entries.push(entry);
    buffer.bytes += datumBytes(entry);
    if (fillsRequest(buffer.entries.length, buffer.bytes)) this.cutFull(buffer);
    if (buffer.entries.length > 0)
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
    for (const buffer of this.buffers.values()) {
      for (const request of partition(buffer.entries)) this.send(request.namespace, request.entries);
      buffer.entries = [];
      buffer.bytes = 0;
    }
  }

  /** Sends the full requests the buffer holds; the rest keeps lingering. */
  private cutFull(buffer: Pending): void {
    const requests = partition(buffer.entries);
    let rest = requests.pop()!;
    for (const request of requests) this.send(request.namespace, request.entries);
    if (fillsRequest(rest.entries.length, rest.bytes)) {
      this.send(rest.namespace, rest.entries);
      rest = { ...rest, entries: [], bytes: 0 };
    }
    buffer.entries = rest.entries;
    buffer.bytes = rest.entries.reduce((sum, entry) => sum + datumBytes(entry), 0);
  }

  private send(namespace: string, entries: readonly OutboxEntry[]): void {
    const sent = this.dispatch(namespace, entries).finally(() => this.dispatched.delete(sent));
    this.dispatched.add(sent);
  }
}
