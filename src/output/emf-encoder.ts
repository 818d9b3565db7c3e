/**
 * Datums → EMF documents, one JSON line each (pure). Datums of one namespace, one dimension set
 * (names and values) and one timestamp share a document, at most 100 metrics in it; a series that
 * has several arrays of values (more than 100 samples) or several datums at the same instant goes
 * into as many documents, since a root member holds one target. Dimension values and metric values
 * are members of the root node; `_aws` says which is which. What EMF cannot carry is returned with
 * the reason, never dropped silently.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { EmfDatum } from "./emf-datum.js";
import { MAX_DOCUMENT_BYTES, MAX_METRICS_PER_DOCUMENT, METADATA_KEY } from "./emf-limits.js";
import { emfSamples } from "./emf-samples.js";
import { emfSeriesProblem } from "./emf-series.js";

export interface EmfRejection {
  readonly datum: EmfDatum;
  /** The end of a sentence that starts with the metric: `metric "x" ${reason}`. */
  readonly reason: string;
}

export interface EmfEncoding {
  /** One EMF document per element, without a line break. */
  readonly documents: readonly string[];
  readonly rejected: readonly EmfRejection[];
}

export interface EmfEncodeOptions {
  /** The most bytes one document may have; MAX_DOCUMENT_BYTES (the specification's 1 MB) by default. */
  readonly maxDocumentBytes?: number;
}

interface OpenDocument {
  readonly definitions: string[];
  readonly members: string[];
  bytes: number;
}

interface Group {
  /** `{"_aws":{...,"Metrics":[` and `]}]}` plus the dimension members: the document without metrics. */
  readonly head: string;
  readonly tail: string;
  /** Bytes of the document without metrics: head + tail + "}". */
  readonly emptyBytes: number;
  readonly documents: OpenDocument[];
  /** Per metric name: the first document that does not hold it yet. */
  readonly nextFor: Map<string, number>;
  firstOpen: number;
}

const json = (value: unknown): string => JSON.stringify(value);

function groupKey(datum: EmfDatum): string {
  const { namespace, dimensions } = datum.metric;
  const sorted = dimensions
    .map((d) => [d.Name, d.Value])
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return json([namespace, datum.timestamp, sorted]);
}

function newGroup(datum: EmfDatum): Group {
  const { namespace, dimensions } = datum.metric;
  const directive = `{"Namespace":${json(namespace)},"Dimensions":[${json(dimensions.map((d) => d.Name))}],"Metrics":[`;
  const head = `{${json(METADATA_KEY)}:{"Timestamp":${datum.timestamp},"CloudWatchMetrics":[${directive}`;
  const tail = `]}]}${dimensions.map((d) => `,${json(d.Name)}:${json(d.Value)}`).join("")}`;
  const emptyBytes = Buffer.byteLength(head) + Buffer.byteLength(tail) + 1;
  return { head, tail, emptyBytes, documents: [], nextFor: new Map(), firstOpen: 0 };
}

const render = (group: Group, doc: OpenDocument): string =>
  `${group.head}${doc.definitions.join(",")}${group.tail}${doc.members.join("")}}`;

export function encodeEmf(datums: readonly EmfDatum[], options: EmfEncodeOptions = {}): EmfEncoding {
  const maxBytes = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  const groups = new Map<string, Group>();
  const rejected: EmfRejection[] = [];
  for (const datum of datums) {
    const { metric } = datum;
    const problem = emfSeriesProblem(
      metric.name,
      metric.dimensions.map((d) => d.Name),
    );
    const samples = emfSamples(datum);
    if (problem !== undefined || !samples.ok) {
      rejected.push({ datum, reason: problem ?? (samples as { reason: string }).reason });
      continue;
    }
    const key = groupKey(datum);
    const group = groups.get(key) ?? newGroup(datum);
    const definition = json({
      Name: metric.name,
      Unit: metric.unit,
      StorageResolution: metric.storageResolution,
    });
    const members = samples.targets.map((target) => `,${json(metric.name)}:${json(target)}`);
    // Each metric adds its definition, a comma, and its member to the empty document.
    const { emptyBytes } = group;
    const definitionBytes = Buffer.byteLength(definition) + 1;
    const memberBytes = members.map((m) => Buffer.byteLength(m));
    const largest = emptyBytes + definitionBytes + Math.max(...memberBytes);
    if (largest > maxBytes) {
      rejected.push({
        datum,
        reason: `needs a document of ${largest} bytes; at most ${maxBytes} are allowed`,
      });
      continue;
    }
    groups.set(key, group);
    for (const [i, member] of members.entries()) {
      place(group, metric.name, definition, member, definitionBytes + memberBytes[i]!, emptyBytes, maxBytes);
    }
  }
  const documents = [...groups.values()].flatMap((group) => group.documents.map((doc) => render(group, doc)));
  return { documents, rejected };
}

/** Puts one metric target into the first document of its group with room for it and without its name. */
function place(
  group: Group,
  name: string,
  definition: string,
  member: string,
  bytes: number,
  emptyBytes: number,
  maxBytes: number,
): void {
  const { documents } = group;
  let index = Math.max(group.firstOpen, group.nextFor.get(name) ?? 0);
  for (; index < documents.length; index++) {
    const doc = documents[index]!;
    if (doc.definitions.length < MAX_METRICS_PER_DOCUMENT && doc.bytes + bytes <= maxBytes) break;
  }
  if (index === documents.length) documents.push({ definitions: [], members: [], bytes: emptyBytes - 1 });
  const doc = documents[index]!;
  doc.definitions.push(definition);
  doc.members.push(member);
  doc.bytes += bytes;
  group.nextFor.set(name, index + 1);
  while (group.documents[group.firstOpen]?.definitions.length === MAX_METRICS_PER_DOCUMENT) group.firstOpen++;
}
