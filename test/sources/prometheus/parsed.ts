/** For the parser's tests: the families of a body that must parse, or a failed assertion naming why not. */
import assert from "node:assert/strict";
import type { MetricFamily, MetricType } from "../../../src/sources/prometheus/metric-family.js";
import { parseExposition } from "../../../src/sources/prometheus/parse.js";

export function parsed(text: string): readonly MetricFamily[] {
  const result = parseExposition(text);
  if (!result.ok) assert.fail(result.error);
  return result.families;
}

/** The error of a body that must not parse. */
export function parseError(text: string): string {
  const result = parseExposition(text);
  if (result.ok) assert.fail(`parsed, to ${JSON.stringify(result.families)}`);
  return result.error;
}

/** A sample as [name, labels, value], to keep the expected families of a test short. */
export type Row = readonly [name: string, labels: Record<string, string>, value: number];

/** The family expected: samples as rows, unit only when given. */
export function family(
  name: string,
  type: MetricType,
  help: string,
  rows: readonly Row[],
  unit?: string,
): MetricFamily {
  const samples = rows.map(([sampleName, labels, value]) => ({ name: sampleName, labels, value }));
  return unit === undefined ? { name, type, help, samples } : { name, type, help, unit, samples };
}
