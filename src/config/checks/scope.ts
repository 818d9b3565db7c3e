/**
 * Checks of what `defaults` or a metric writes itself, each at the place to fix: the time zone, the
 * timeout, and the series' names against CloudWatch's rules (as the run-time datum checks apply them).
 */
import {
  dimensionNameProblem,
  dimensionValueProblem,
  metricNameProblem,
  namespaceProblem,
} from "../../cloudwatch/rules.js";
import type { ConfigIssue } from "../issue.js";
import { isValidTimeZone } from "../timezone.js";
import { MAX_TIMEOUT_MS } from "../types.js";
import { asMap, asString, durationMs, type Scope } from "../view.js";

export function checkZone({ at, raw }: Scope): ConfigIssue[] {
  const timezone = asString(raw.timezone);
  if (timezone === undefined || timezone === "" || isValidTimeZone(timezone)) return [];
  return [
    {
      path: [...at, "timezone"],
      message: `unknown time zone "${timezone}"; use an IANA name such as "UTC" or "Europe/Berlin"`,
    },
  ];
}

export function checkTimeout({ at, raw }: Scope): ConfigIssue[] {
  const timeout = asString(raw.timeout);
  const ms = timeout === undefined ? Number.NaN : durationMs(timeout);
  if (ms <= 0) return [{ path: [...at, "timeout"], message: "must be longer than 0" }];
  if (ms > MAX_TIMEOUT_MS)
    return [{ path: [...at, "timeout"], message: `must be at most 1h (got ${timeout})` }];
  return [];
}

/** The namespace, metric name and dimensions against CloudWatch's rules. */
export function checkSeriesNames({ at, raw }: Scope): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (key: string, problemOf: (text: string) => string | undefined) => {
    const text = asString(raw[key]);
    const problem = text === undefined ? undefined : problemOf(text);
    if (problem !== undefined) issues.push({ path: [...at, key], message: problem });
  };
  check("namespace", namespaceProblem);
  check("name", metricNameProblem);
  for (const [name, value] of Object.entries(asMap(raw.dimensions) ?? {})) {
    const path = [...at, "dimensions", name];
    const nameProblem = dimensionNameProblem(name);
    if (nameProblem !== undefined)
      issues.push({ path, message: `name ${JSON.stringify(name)} ${nameProblem}`, atKey: true });
    const valueIssue = typeof value === "string" ? dimensionValueProblem(value) : undefined;
    if (valueIssue !== undefined) issues.push({ path, message: valueIssue });
  }
  return issues;
}
