/**
 * One line of the outbox log: `<crc32 hex> <json>\n`, the JSON a datum (`{"s":seq,"ns":...}`) or an
 * acknowledgement of sequence numbers (`{"a":[[first,last],...]}`). Decoding trusts nothing: a line
 * whose checksum, JSON or shape is wrong comes back as damaged, with the reason.
 */
import { crc32 } from "node:zlib";
import { UNITS, type StorageResolution, type Unit } from "../../cloudwatch/units.js";
import {
  metricIdentity,
  type Datum,
  type DatumPayload,
  type MetricIdentity,
} from "../../cloudwatch/datum.js";
import type { OutboxEntry } from "./outbox.js";

interface DatumRecord {
  s: number;
  ns: string;
  n: string;
  u: Unit;
  r: StorageResolution;
  d: [string, string][];
  /** The value; absent in a record of Values + Counts (`vs`, `cs`) or StatisticValues (`st`). */
  v?: number;
  vs?: number[];
  cs?: number[];
  /** [SampleCount, Sum, Minimum, Maximum] */
  st?: [number, number, number, number];
  t: number;
}

/** A datum as the log holds it: with its sequence number. */
export type LoggedDatum = Datum & { readonly seq: number };

export type DecodedLine =
  /** Read back as the outbox entry it becomes (one object per datum, also for a million of them). */
  | { readonly kind: "datum"; readonly entry: OutboxEntry }
  | { readonly kind: "ack"; readonly ranges: readonly (readonly [number, number])[] }
  | {
      readonly kind: "damaged";
      readonly reason: string;
      /** Whether the line may have held a datum (else it was an acknowledgement: nothing is lost). */
      readonly datumLost: boolean;
    };

const UNIT_SET: ReadonlySet<string> = new Set(UNITS);

function line(json: string): string {
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

export function encodeDatum(seq: number, datum: Datum): string {
  const m = datum.metric;
  const record: DatumRecord = {
    s: seq,
    ns: m.namespace,
    n: m.name,
    u: m.unit,
    r: m.storageResolution,
    d: m.dimensions.map((dim) => [dim.Name, dim.Value]),
    t: datum.timestamp,
  };
  if (datum.values !== undefined) {
    record.vs = [...datum.values];
    record.cs = [...datum.counts];
  } else if (datum.statistics !== undefined) {
    const { SampleCount, Sum, Minimum, Maximum } = datum.statistics;
    record.st = [SampleCount, Sum, Minimum, Maximum];
  } else record.v = datum.value;
  return line(JSON.stringify(record));
}

/** Consecutive sequence numbers as [first, last] ranges: 1000 acks of one batch are one pair. */
export function encodeAck(seqs: readonly number[]): string {
  const sorted = [...seqs].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const seq of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && seq === last[1] + 1) last[1] = seq;
    else ranges.push([seq, seq]);
  }
  return line(JSON.stringify({ a: ranges }));
}

const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isText = (value: unknown): value is string => typeof value === "string" && value !== "";

function datumShapeProblem(r: Record<string, unknown>): string | undefined {
  if (!isSeq(r.s)) return "no valid sequence number";
  if (!isText(r.ns) || !isText(r.n)) return "no namespace or metric name";
  if (typeof r.u !== "string" || !UNIT_SET.has(r.u)) return "no valid unit";
  if (r.r !== 1 && r.r !== 60) return "no valid storage resolution";
  const d = r.d;
  if (!Array.isArray(d) || !d.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(isText)))
    return "no valid dimensions";
  const finite = (x: unknown) => typeof x === "number" && Number.isFinite(x);
  const finiteList = (x: unknown, length?: number) =>
    Array.isArray(x) && x.length > 0 && (length === undefined || x.length === length) && x.every(finite);
  const payloads = ["v", "vs", "st"].filter((key) => r[key] !== undefined).length;
  if (payloads !== 1) return "not exactly one of a value, values or statistics";
  if (r.v !== undefined && !finite(r.v)) return "no finite value";
  if (r.vs !== undefined && !(finiteList(r.vs) && finiteList(r.cs, (r.vs as unknown[]).length)))
    return "no valid values and counts";
  if (r.st !== undefined && !finiteList(r.st, 4)) return "no valid statistics";
  if (typeof r.t !== "number" || !Number.isFinite(r.t)) return "no valid timestamp";
  return undefined;
}

/**
 * Decodes one line (without its newline). Replayed datums of one series share one identity, as
 * live ones do: a million records, not a million identities.
 */
export function decodeLine(text: string, identities: Map<string, MetricIdentity>): DecodedLine {
  const json = text.slice(9);
  const datumLost = !json.startsWith('{"a":');
  if (text[8] !== " " || crc32(json).toString(16).padStart(8, "0") !== text.slice(0, 8))
    return { kind: "damaged", reason: "checksum mismatch", datumLost };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { kind: "damaged", reason: "not JSON", datumLost };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { kind: "damaged", reason: "not a record", datumLost };
  const record = value as Record<string, unknown>;
  if ("a" in record) {
    const ranges = record.a;
    const valid =
      Array.isArray(ranges) &&
      ranges.every((r) => Array.isArray(r) && r.length === 2 && isSeq(r[0]) && isSeq(r[1]) && r[0] <= r[1]);
    return valid
      ? { kind: "ack", ranges: ranges as [number, number][] }
      : { kind: "damaged", reason: "an acknowledgement of no valid ranges", datumLost: false };
  }
  const problem = datumShapeProblem(record);
  if (problem !== undefined)
    return { kind: "damaged", reason: `a datum record with ${problem}`, datumLost: true };
  const r = record as unknown as DatumRecord;
  const key = JSON.stringify([r.ns, r.n, r.u, r.r, r.d]);
  let metric = identities.get(key);
  if (metric === undefined) {
    metric = metricIdentity({
      namespace: r.ns,
      name: r.n,
      unit: r.u,
      storageResolution: r.r,
      dimensions: Object.fromEntries(r.d),
    });
    identities.set(key, metric);
  }
  const payload: DatumPayload =
    r.vs !== undefined
      ? { values: r.vs, counts: r.cs! }
      : r.st !== undefined
        ? { statistics: { SampleCount: r.st[0], Sum: r.st[1], Minimum: r.st[2], Maximum: r.st[3] } }
        : { value: r.v! };
  return {
    kind: "datum",
    entry: { metric, ...payload, timestamp: r.t, seq: r.s, state: "awaitingRetry" } as OutboxEntry,
  };
}
