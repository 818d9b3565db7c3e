/**
 * One validation path for every way a config is written: the schema first, then named passes over
 * the resolved view (view.ts), each collecting located issues; only a document with none is built.
 */
import { buildConfig } from "./build.js";
import { checkDelivery, checkDuplicates } from "./checks/document.js";
import { checkDimensionCount, checkNamespaceGiven, checkUrl, checkValues } from "./checks/metric.js";
import { checkEmfOutput } from "./checks/output.js";
import { checkDefaultSchedule, checkSchedule } from "./checks/schedules.js";
import { checkPrometheusSource } from "./checks/prometheus.js";
import { checkSystemSource } from "./checks/system.js";
import { checkAggregate, checkMaxSeries, checkRollups } from "./checks/shaping.js";
import { checkSeriesNames, checkTimeout, checkZone } from "./checks/scope.js";
import { issuesFromAjv } from "./errors.js";
import type { ConfigIssue } from "./issue.js";
import { schemaValidator } from "./schema.js";
import type { Config } from "./types.js";
import { isBuildable, resolveDocument, type DocumentView } from "./view.js";

/**
 * Metrics are checked against the schema this many at a time: ajv copies its list of errors at each
 * failing $ref, which is quadratic, so 20,000 broken metrics checked at once took 16 s.
 */
export const METRICS_PER_SCHEMA_PASS = 200;
/** Once this many errors are found, no more are looked for (the reporter lists this many). */
export const MAX_REPORTED_ERRORS = 100;

export type Validation = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/** A plain JS value (from YAML or the environment) → a frozen Config, or every issue found. */
/** `secrets`: values that sources must keep out of log lines (see Config.secrets). */
export function validateDocument(
  document: unknown,
  configOrigin: string,
  secrets: readonly string[] = [],
): Validation {
  const { valid, issues: schemaIssues } = checkSchema(document);
  const view = resolveDocument(document);
  // A semantic issue at a path the schema already faulted would only repeat it.
  const faulted = new Set(schemaIssues.map((issue) => JSON.stringify(issue.path)));
  const semanticIssues = checkView(view).filter((issue) => !faulted.has(JSON.stringify(issue.path)));
  const issues = [...schemaIssues, ...semanticIssues];
  // A view that passed the schema and the checks is buildable; isBuildable proves it to the compiler.
  if (!valid || issues.length > 0 || !isBuildable(view)) return { ok: false, issues };
  // Duplicates are only meaningful between metrics that are otherwise valid.
  const duplicates = checkDuplicates(view);
  if (duplicates.length > 0) return { ok: false, issues: duplicates };
  // The series count is only meaningful once every metric and rollup is valid.
  const tooMany = checkMaxSeries(view);
  if (tooMany.length > 0) return { ok: false, issues: tooMany };
  return { ok: true, config: buildConfig(view, configOrigin, secrets) };
}

/**
 * Every problem the schema cannot see, each at the path to fix, pass by pass: `defaults`, delivery,
 * then each metric. Runs on documents that failed the schema too, checking whatever parts have the
 * right shape, so that one run reports everything.
 */
export function checkView(view: DocumentView): ConfigIssue[] {
  const { defaults } = view;
  const issues = [
    ...checkZone(defaults),
    ...checkTimeout(defaults),
    ...checkSeriesNames(defaults),
    ...checkDefaultSchedule(defaults),
    ...checkDelivery(view.delivery),
    ...checkEmfOutput(view),
  ];
  for (const metric of view.metrics) {
    issues.push(
      ...checkZone(metric),
      ...checkTimeout(metric),
      ...checkSeriesNames(metric),
      ...checkNamespaceGiven(metric, defaults),
      ...checkSchedule(metric, defaults),
      ...checkDimensionCount(metric),
      ...checkValues(metric),
      ...checkUrl(metric),
      ...checkSystemSource(metric),
      ...checkPrometheusSource(metric),
      ...checkAggregate(metric),
      ...checkRollups(metric),
    );
  }
  return issues;
}

/** The schema's verdict, metrics a slice at a time; stops early once MAX_REPORTED_ERRORS are found. */
function checkSchema(document: unknown): { valid: boolean; issues: ConfigIssue[] } {
  const validate = schemaValidator();
  const metrics = (document as { metrics?: unknown } | null)?.metrics;
  if (!Array.isArray(metrics) || metrics.length <= METRICS_PER_SCHEMA_PASS) {
    const valid = validate(document);
    return { valid, issues: valid ? [] : issuesFromAjv(validate.errors ?? []) };
  }
  let valid = true;
  const issues: ConfigIssue[] = [];
  for (
    let start = 0;
    start < metrics.length && issues.length <= MAX_REPORTED_ERRORS;
    start += METRICS_PER_SCHEMA_PASS
  ) {
    const slice = metrics.slice(start, start + METRICS_PER_SCHEMA_PASS);
    if (validate({ ...(document as object), metrics: slice })) continue;
    valid = false;
    for (const issue of issuesFromAjv(validate.errors ?? [])) {
      const [first, index, ...rest] = issue.path;
      if (first === "metrics" && typeof index === "number") {
        issues.push({ ...issue, path: ["metrics", index + start, ...rest] });
      } else if (start === 0) {
        // The rest of the document is the same in every pass: its issues are taken from the first.
        issues.push(issue);
      }
    }
  }
  return { valid, issues };
}
