/**
 * The one rule that cuts datums into PutMetricData requests: one namespace per request, datums in
 * their order, at most 1000 of them, at most 1 MB of encoded body and at most 150 Values of one series
 * (several datums of one aggregated period go to consecutive requests). The batcher's first sends and
 * the outbox's retries both cut here, so no path can build a request CloudWatch refuses for its size.
 */
import { datumBytes, valuesCarried, type Datum } from "../cloudwatch/datum.js";
import {
  MAX_DATUMS_PER_REQUEST,
  MAX_REQUEST_BYTES,
  MAX_VALUES_PER_SERIES_PER_REQUEST,
} from "../cloudwatch/limits.js";
import { seriesKey } from "../cloudwatch/series-key.js";

/** `{"Namespace":,"MetricData":[]}` around the datums. */
const REQUEST_ENVELOPE_BYTES = 32;

/** One PutMetricData request's worth of datums. */
export interface Request<T extends Datum> {
  readonly namespace: string;
  readonly entries: T[];
  /** An upper bound of the encoded body's size. */
  bytes: number;
  /** Values carried per series (seriesKey), only for datums with Values. */
  values?: Map<string, number>;
}

/** Whether the datum's Values would take its series past 150 in this request. */
function overValues(request: Request<Datum>, datum: Datum, carried: number): boolean {
  if (carried === 0 || request.values === undefined) return false;
  const key = seriesKey(datum.metric);
  return (request.values.get(key) ?? 0) + carried > MAX_VALUES_PER_SERIES_PER_REQUEST;
}

function countValues(request: Request<Datum>, datum: Datum, carried: number): void {
  if (carried === 0) return;
  const key = seriesKey(datum.metric);
  request.values ??= new Map();
  request.values.set(key, (request.values.get(key) ?? 0) + carried);
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
    const carried = valuesCarried(entry);
    let request = open.get(namespace);
    if (
      request !== undefined &&
      (request.entries.length >= MAX_DATUMS_PER_REQUEST ||
        request.bytes + size > MAX_REQUEST_BYTES ||
        overValues(request, entry, carried))
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
    countValues(request, entry, carried);
  }
  return requests;
}
