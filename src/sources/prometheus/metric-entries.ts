/**
 * `scrape --yaml`: ready-to-paste `metrics:` entries for an endpoint's families, one per family (a
 * summary without quantiles: its `_count` and `_sum`), each keeping every label and saying in a comment
 * what that costs in series; families no entry can read are comments saying why. Deterministic: the
 * same scrape prints the same text.
 */
import { MAX_DIMENSIONS_PER_DATUM } from "../../cloudwatch/limits.js";
import { plural } from "../../common/plural.js";
import { LABEL_NAME } from "../../config/prometheus-options.js";
import type { FamilySummary } from "./family-summary.js";
import { familyUnit } from "./family-unit.js";

/** Where the entries scrape: the URL as the YAML writes it, and each header's name and value (`${VAR}`). */
export interface EntrySource {
  readonly url: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
}

/** The lines of the file's head: what the entries are and what they cost. */
function head(summaries: readonly FamilySummary[], shown: string, notes: readonly string[]): string[] {
  return [
    `# Metric entries for ${plural(summaries.length, "family", "families")} of ${shown} (cloudwatch-publisher scrape --yaml).`,
    "# Put them under a config whose defaults set the namespace (defaults: { namespace: MyApp }).",
    "# Each series is one CloudWatch custom metric, billed by the month: keep only the labels you",
    "# need (the samples of a label left out are added up; see combine), and check the total with",
    "# cloudwatch-publisher cost.",
    ...notes.map((note) => `# ${note}`),
    "metrics:",
  ];
}

export function metricEntriesYaml(
  summaries: readonly FamilySummary[],
  shown: string,
  source: EntrySource,
  notes: readonly string[] = [],
): string {
  const lines = head(summaries, shown, notes);
  for (const summary of summaries) lines.push(...entriesOf(summary, source));
  return `${lines.join("\n")}\n`;
}

/** Why no entry reads this family, or undefined when one does. */
function skipReason(summary: FamilySummary): string | undefined {
  if (summary.type === "gaugehistogram") return "a gaugehistogram, which this publisher does not read";
  if (summary.type === "info")
    return "an info family: its value is always 1 and its labels describe the target";
  if (summary.series === 0) return "declared without samples on this scrape";
  return undefined;
}

function entriesOf(summary: FamilySummary, source: EntrySource): string[] {
  const skipped = skipReason(summary);
  if (skipped !== undefined) return [`  # ${summary.name}: skipped, ${skipped}`];
  const { labels, warning } = keepable(summary);
  const labelsLine = labelsYaml(labels);
  if (summary.type === "summary" && summary.quantiles.length === 0) {
    const about = `${summary.name} (summary without quantiles)`;
    return [
      ...entry(`${summary.name}_count`, summary, source, labelsLine, `counter from ${about}`, warning),
      ...entry(`${summary.name}_sum`, summary, source, labelsLine, `counter from ${about}`, warning),
    ];
  }
  return entry(summary.name, summary, source, labelsLine, describe(summary), warning);
}

/**
 * The labels an entry keeps: not reserved (`__`), none with a value CloudWatch refuses as a dimension
 * value (its series would be dropped at every read), and no more than CloudWatch's dimensions allow.
 */
function keepable(summary: FamilySummary): { labels: string[]; warning: string[] | undefined } {
  const warnings: string[] = [];
  const valid: string[] = [];
  for (const { name, refused } of summary.labels) {
    if (!LABEL_NAME.test(name) || name.startsWith("__"))
      warnings.push(`${name} left out: a reserved label name`);
    else if (refused !== undefined)
      warnings.push(`${name} left out: CloudWatch refuses its value ${refused}`);
    else valid.push(name);
  }
  const room = MAX_DIMENSIONS_PER_DATUM - (summary.type === "summary" ? 1 : 0);
  if (valid.length > room)
    warnings.push(
      `only the first ${room} of ${valid.length} labels kept: CloudWatch allows ${MAX_DIMENSIONS_PER_DATUM} dimensions`,
    );
  return {
    labels: valid.slice(0, room),
    warning: warnings.length === 0 ? undefined : warnings,
  };
}

/** "counter, published as its increase", "histogram, as Values and Counts"... and the family's HELP. */
function describe(summary: FamilySummary): string {
  switch (summary.type) {
    case "counter":
      return "counter, published as its increase per read";
    case "histogram":
      return "histogram, published as Values and Counts (percentiles work)";
    case "summary":
      return `summary, its quantiles ${summary.quantiles.join(", ")} under the dimension Quantile`;
    case "untyped":
    case "unknown":
      return `${summary.type}, published as read (add transform: delta if it is a counter)`;
    default:
      return `${summary.type}, published as read`;
  }
}

function entry(
  metric: string,
  summary: FamilySummary,
  source: EntrySource,
  labelsLine: string | undefined,
  what: string,
  warning: readonly string[] | undefined,
): string[] {
  const help = oneLine(summary.help);
  const unit = familyUnit(metric, summary);
  return [
    `  # ${what}${help === "" ? "" : `: ${help}`}`,
    `  # ${seriesText(summary, metric === summary.name)}`,
    ...(warning === undefined ? [] : warning.map((w) => `  # ${w}`)),
    `  - name: ${scalar(metric)}`,
    ...(unit === undefined ? [] : [`    unit: ${unit}`]),
    "    source:",
    "      type: prometheus",
    `      url: ${scalar(source.url)}`,
    `      metric: ${scalar(metric)}`,
    ...(labelsLine === undefined ? [] : [`      ${labelsLine}`]),
    ...headersYaml(source.headers),
  ];
}

/** "8 series with these labels: cpu (1 value), mode (8 values)"; a summary's quantiles multiply its series. */
function seriesText(summary: FamilySummary, quantiles: boolean): string {
  const count = quantiles ? summary.series : summary.labelSets;
  const by =
    quantiles && summary.quantiles.length > 0
      ? ` (${plural(summary.labelSets, "label set")} x ${plural(summary.quantiles.length, "quantile")})`
      : "";
  const values = summary.labels.map((l) => `${l.name} (${plural(l.values, "value")})`).join(", ");
  return `${plural(count, "series", "series")}${by}${values === "" ? "" : ` keeping every label: ${values}`}`;
}

function labelsYaml(labels: readonly string[]): string | undefined {
  return labels.length === 0 ? undefined : `labels: [${labels.map(scalar).join(", ")}]`;
}

function headersYaml(headers: EntrySource["headers"]): string[] {
  if (headers.length === 0) return [];
  return ["      headers:", ...headers.map(([name, value]) => `        ${scalar(name)}: ${scalar(value)}`)];
}

/** Whitespace runs (newlines included) as one space: a comment is one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Words YAML 1.1 or 1.2 read as something other than a string. */
const NOT_STRINGS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

/** A plain scalar where that reads back as the same string, else a double-quoted one (JSON's quoting is YAML's). */
export function scalar(text: string): string {
  return /^[A-Za-z_][A-Za-z0-9_:./-]*$/.test(text) && !NOT_STRINGS.test(text) ? text : JSON.stringify(text);
}
