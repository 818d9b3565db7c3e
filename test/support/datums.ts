/** Datums as "name@timestamp" keys: what a process logged as collected, and what the fake accepted. */
import { jsonLines } from "./cli.js";
import type { FakeCloudWatch } from "./fake-cloudwatch.js";

/** Every datum the process logged as collected (LOG_LEVEL=debug), sorted. */
export function collectedKeys(stdout: string): string[] {
  return jsonLines(stdout)
    .filter((l) => typeof l.message === "string" && l.message.startsWith("collected metric "))
    .map((l) => `${String(l.metric)}@${Date.parse(String(l.scheduledAt))}`)
    .sort();
}

/** Every datum the fake accepted in `namespace`, sorted, a datum accepted twice appearing twice. */
export function deliveredKeys(fake: FakeCloudWatch, namespace: string): string[] {
  return fake.datums
    .filter((d) => d.namespace === namespace)
    .map((d) => `${d.name}@${d.timestamp}`)
    .sort();
}

/** How many times each key occurs. */
export function counts(keys: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const key of keys) result.set(key, (result.get(key) ?? 0) + 1);
  return result;
}
