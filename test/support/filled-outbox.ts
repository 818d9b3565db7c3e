/** An outbox directory holding `count` undelivered datums of 1,000 metrics, as a process that stopped would leave it. */
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import { SegmentLog } from "../../src/publish/outbox/segment-log.js";

export async function fillOutbox(dir: string, namespace: string, count: number): Promise<void> {
  const logger = { warn: () => undefined, error: () => undefined, info: () => undefined } as never;
  const { log } = await SegmentLog.open({ dir, fsync: false, logger });
  const ids = Array.from({ length: 1000 }, (_, i) =>
    metricIdentity({
      namespace,
      name: `M${i}`,
      unit: "Count",
      storageResolution: 60,
      dimensions: { Host: "a" },
    }),
  );
  // A minute old, values that are not small integers (as most measurements are not).
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    log.appendDatum(i + 1, { metric: ids[i % 1000]!, value: i + 0.5, timestamp: now - 60_000 + (i % 1000) });
    if (i % 10_000 === 0) log.flush();
  }
  log.close();
}
