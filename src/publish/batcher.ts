/**
 * Gathers datums per namespace into PutMetricData-sized batches: cut at 1000 datums or before the
 * body would pass 1 MB, and otherwise after a short linger, so reads of one tick share requests.
 */
import { datumBytes, type Datum } from "./datum.js";
import { MAX_DATUMS_PER_REQUEST, MAX_REQUEST_BYTES } from "./limits.js";

/** How long the first datum of a batch waits for others before the batch goes out. */
export const LINGER_MS = 20;
/** `{"Namespace":,"MetricData":[]}` around the datums. */
const REQUEST_ENVELOPE_BYTES = 32;

export type Dispatch = (namespace: string, datums: readonly Datum[]) => Promise<void>;

interface Buffer {
  datums: Datum[];
  bytes: number;
}

export class Batcher {
  private readonly buffers = new Map<string, Buffer>();
  private readonly dispatched = new Set<Promise<void>>();
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dispatch: Dispatch,
    private readonly lingerMs: number = LINGER_MS,
  ) {}

  add(datum: Datum): void {
    const namespace = datum.metric.namespace;
    let buffer = this.buffers.get(namespace);
    if (buffer === undefined) {
      buffer = { datums: [], bytes: REQUEST_ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(namespace)) };
      this.buffers.set(namespace, buffer);
    }
    const size = datumBytes(datum);
    if (buffer.datums.length > 0 && buffer.bytes + size > MAX_REQUEST_BYTES) this.cut(namespace, buffer);
    buffer.datums.push(datum);
    buffer.bytes += size;
    if (buffer.datums.length >= MAX_DATUMS_PER_REQUEST) this.cut(namespace, buffer);
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
    for (const buffer of this.buffers.values()) count += buffer.datums.length;
    return count;
  }

  private cutAll(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    for (const [namespace, buffer] of this.buffers) if (buffer.datums.length > 0) this.cut(namespace, buffer);
  }

  private cut(namespace: string, buffer: Buffer): void {
    const datums = buffer.datums;
    buffer.datums = [];
    buffer.bytes = REQUEST_ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(namespace));
    const sent = this.dispatch(namespace, datums).finally(() => this.dispatched.delete(sent));
    this.dispatched.add(sent);
  }
}
