/**
 * network.*: bytes and errors of each interface since the previous read (dimension `Interface`).
 * Host scope reads the host's network namespace through PID 1 of the host's /proc; container scope
 * reads this process's own. `lo` is left out unless an `interfaces` glob names it.
 */
import { Baselines, counterIncrease, KERNEL_LONG_BITS } from "./counter.js";
import type { NameFilter } from "./glob.js";
import { FirstReadableFile } from "./kernel-file.js";
import { parseNetDev, type NetDevStats } from "./net-dev.js";
import type { Sample } from "./sample.js";
import { syncReader, type ReaderSetup, type SystemReader } from "./system-reader.js";

export type NetworkMetric =
  "network.rx.bytes" | "network.tx.bytes" | "network.rx.errors" | "network.tx.errors";

const FIELD: Record<NetworkMetric, keyof Omit<NetDevStats, "name">> = {
  "network.rx.bytes": "rxBytes",
  "network.tx.bytes": "txBytes",
  "network.rx.errors": "rxErrors",
  "network.tx.errors": "txErrors",
};

const LOOPBACK = "lo";

export function networkReader(
  metric: NetworkMetric,
  chosen: NameFilter | undefined,
  { context, resolution, view }: ReaderSetup,
): SystemReader {
  const file = new FirstReadableFile(view.pids.map((pid) => `${view.proc}/${pid}/net/dev`));
  const selected = chosen ?? ((name: string) => name !== LOOPBACK);
  const field = FIELD[metric];
  const baselines = new Baselines<number>();
  return syncReader(metric, resolution, () => {
    const { path, text } = file.read();
    const interfaces = parseNetDev(text, path);
    const now = context.nowMs();
    const samples: Sample[] = [];
    for (const stats of interfaces) {
      if (!selected(stats.name)) continue;
      const before = baselines.swap(stats.name, stats[field], now);
      if (before !== undefined)
        samples.push({
          dimensions: { Interface: stats.name },
          value: counterIncrease(before.value, stats[field], KERNEL_LONG_BITS),
        });
    }
    baselines.commit();
    return { samples, skipped: [] };
  });
}
