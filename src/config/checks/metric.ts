/** Checks of one metric that need its resolved settings: the namespace, the dimension count, values, the URL. */
import { MAX_DIMENSIONS_PER_DATUM } from "../../cloudwatch/limits.js";
import { valueProblem } from "../../cloudwatch/rules.js";
import type { ConfigIssue } from "../issue.js";
import { asMap, asString, type MetricView, type Scope } from "../view.js";

export function checkNamespaceGiven({ at, raw }: MetricView, defaults: Scope): ConfigIssue[] {
  if (raw.namespace !== undefined || defaults.raw.namespace !== undefined) return [];
  const name = asString(raw.name);
  return [
    {
      path: at,
      message: `${name === undefined ? "metric" : `metric "${name}"`} has no namespace; set "namespace" here or in "defaults"`,
    },
  ];
}

/** At most 30 after merging the defaults' (a metric's own beyond 30 is the schema's to report). */
export function checkDimensionCount({ at, raw, dimensionCount }: MetricView): ConfigIssue[] {
  const own = asMap(raw.dimensions);
  if (dimensionCount <= MAX_DIMENSIONS_PER_DATUM) return [];
  if (own !== undefined && Object.keys(own).length > MAX_DIMENSIONS_PER_DATUM) return [];
  return [
    {
      path: own !== undefined ? [...at, "dimensions"] : at,
      message: `has ${dimensionCount} dimensions after merging defaults.dimensions; CloudWatch allows at most ${MAX_DIMENSIONS_PER_DATUM}`,
    },
  ];
}

/** A constant's value, scaled, and the scale itself, against CloudWatch's range. */
export function checkValues({ at, raw, source, scale }: MetricView): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (value: unknown, path: (string | number)[]) => {
    const problem = typeof value === "number" ? valueProblem(value) : undefined;
    if (problem !== undefined) issues.push({ path, message: problem });
  };
  const constant = source?.type === "constant" ? source.value : undefined;
  if (typeof constant === "number" && Number.isFinite(constant))
    check(constant * (Number.isFinite(scale) ? scale : 1), [...at, "source", "value"]);
  check(raw.scale, [...at, "scale"]);
  return issues;
}

/** An http or prometheus URL the schema's pattern lets through that is still not a URL. */
export function checkUrl({ at, source }: MetricView): ConfigIssue[] {
  const url = source?.type === "http" || source?.type === "prometheus" ? asString(source.url) : undefined;
  if (url === undefined || !/^https?:\/\/\S+$/.test(url) || URL.canParse(url)) return [];
  return [{ path: [...at, "source", "url"], message: `is not a valid URL (got ${JSON.stringify(url)})` }];
}
