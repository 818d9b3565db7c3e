/**
 * The one rule that cuts datums into PutMetricData requests: one namespace per request, datums in
 * their order, at most 1000 of them and at most 1 MB of encoded body. The batcher's first sends and
 * the outbox's retries both cut here, so no path can build a request CloudWatch refuses for its size.
 */
import { datumBytes, type Datum } from "../cloudwatch/datum.js";
import { MAX_DATUMS_PER_REQUEST, MAX_REQUEST_BYTES } from "../cloudwatch/limits.js";

/** `{"Namespace":,"MetricData":[]}` around the datums. */
const REQUEST_ENVELOPE_BYTES = 32;

/** One PutMetricData request's worth of datums. */
export interface Request<T extends Datum> {
  readonly namespace: string;
  readonly entries: T[];
  /** An upper bound of the encoded body's size. */
  bytes: number;
}

function envelopeBytes(namespace: string): number {
  return REQUEST_ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(namespace));
}

/** Whether datums of this count and size fill at least one request: time to cut without waiting. */
export function fillsRequest(count: number, bytes: number): boolean {
  return count >= MAX_DATUMS_PER_REQUEST || bytes >= MAX_REQUEST_BYTES;
}

/**
 * Cuts `entries` into requests, in order, opening at most `maxRequests` (the oldest datums first;
 * later datums of a namespace whose requests are full are left out). A datum too large for any
 * request still gets one of its own: CloudWatch's answer then drops it alone.
 */
export function partition<T extends Datum>(entries: Iterable<T>, maxRequests = Infinity): Request<T>[] {
  const open = new Map<string, Request<T>>();
  const requests: Request<T>[] = [];
  let closed = 0;
  for (const entry of entries) {
    const namespace = entry.metric.namespace;
    const size = datumBytes(entry);
    let request = open.get(namespace);
    if (
      request !== undefined &&
      (request.entries.length >= MAX_DATUMS_PER_REQUEST || request.bytes + size > MAX_REQUEST_BYTES)
    ) {
      open.delete(namespace);
      closed++;
      request = undefined;
    }
    if (request === undefined) {
      if (requests.length >= maxRequests) {
        if (closed === requests.length) break; // every request is full: nothing more can join
        continue;
      }
      request = { namespace, entries: [], bytes: envelopeBytes(namespace) };
      open.set(namespace, request);
      requests.push(request);
    }
    request.entries.push(entry);
    request.bytes += size;
  }
  return requests;
}
