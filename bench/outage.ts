/**
 * Outages: N metrics on a one-second schedule, CloudWatch unreachable (connections refused) for a
 * while, then back. Measures how long after CloudWatch returns the whole backlog has been accepted,
 * the resident memory before the outage and at the outbox's deepest (its depth read every 5 s from
 * the status file), and the peak resident memory, recovery included.
 * Each scenario has a fake CloudWatch of its own, so several can run side by side.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FakeCloudWatch } from "../test/support/fake-cloudwatch.js";
import { benchEnv, sleep, start, stop, WORK, writeConfig } from "./harness.js";
import { peakRssMiB, rssMiB } from "./proc.js";

export interface OutageOptions {
  readonly name: string;
  readonly metrics: number;
  /** The outage ends after this long, or once the outbox holds `untilDepth` datums, whichever comes first. */
  readonly maxOutageMs: number;
  readonly untilDepth?: number;
}

export interface OutageResult {
  readonly metrics: number;
  readonly outageSeconds: number;
  /** Datums collected during the outage and delivered after it. */
  readonly backlog: number;
  /** From CloudWatch's return to the last datum of the backlog accepted. */
  readonly recoverySeconds: number;
  readonly rssBeforeMiB: number;
  readonly rssAtDeepestMiB: number;
  readonly deepest: number;
  /** The most resident memory the process had, outage and recovery included. */
  readonly peakRssMiB: number;
}

const SAMPLE_MS = 5_000;

function outboxDepth(statusFile: string): number {
  try {
    const status = JSON.parse(readFileSync(statusFile, "utf8")) as { counters: { outboxDepth: number } };
    return status.counters.outboxDepth;
  } catch {
    return 0; // not written yet
  }
}

/** Counts the datums of one namespace the fake accepted with a timestamp at or before `upTo`, incrementally. */
function counter(fake: FakeCloudWatch, namespace: string, upTo: () => number): () => number {
  let seen = 0;
  let count = 0;
  return () => {
    const limit = upTo();
    for (; seen < fake.datums.length; seen++) {
      const datum = fake.datums[seen]!;
      if (datum.namespace === namespace && datum.timestamp <= limit) count++;
    }
    return count;
  };
}

export async function outageScenario(options: OutageOptions): Promise<OutageResult> {
  const { name, metrics, maxOutageMs, untilDepth = Infinity } = options;
  const namespace = `Bench/${name}`;
  const fake = await FakeCloudWatch.start();
  const statusFile = join(WORK, `${name}-status.json`);
  // Room for the backlog and what is collected while it drains: nothing may overflow.
  const config = writeConfig(name, metrics, "* * * * * *", "delivery:\n  maxBufferedDatums: 1000000\n");
  const { child } = start(["run", "--config", config], benchEnv(fake, { HEALTH_FILE: statusFile }));
  const pid = child.pid!;
  try {
    // Warm up: two ticks delivered.
    while (new Set(fake.datums.map((d) => d.timestamp)).size < 2) await sleep(100);
    const firstTick = Math.min(...fake.datums.map((d) => d.timestamp));
    await sleep(SAMPLE_MS);
    const rssBefore = rssMiB(pid);
    await fake.refuseConnections();
    const outageStart = performance.now();
    let deepest = 0;
    let rssAtDeepest = rssBefore;
    while (performance.now() - outageStart < maxOutageMs && deepest < untilDepth) {
      await sleep(Math.min(SAMPLE_MS, maxOutageMs - (performance.now() - outageStart)));
      const depth = outboxDepth(statusFile);
      const rss = rssMiB(pid);
      if (depth >= deepest) [deepest, rssAtDeepest] = [depth, rss];
    }
    const acceptedBefore = fake.datums.filter((d) => d.namespace === namespace).length;
    await fake.resume();
    const back = Date.now();
    const outageSeconds = (performance.now() - outageStart) / 1000;
    // Every tick up to the last one that surely fired before CloudWatch returned.
    const lastTick = Math.floor((back - 200) / 1000) * 1000;
    const expected = metrics * ((lastTick - firstTick) / 1000 + 1);
    const delivered = counter(fake, namespace, () => lastTick);
    const t0 = performance.now();
    while (delivered() < expected && performance.now() - t0 < 600_000) await sleep(50);
    const recoverySeconds = (performance.now() - t0) / 1000;
    return {
      metrics,
      outageSeconds,
      backlog: expected - acceptedBefore,
      recoverySeconds,
      rssBeforeMiB: rssBefore,
      rssAtDeepestMiB: rssAtDeepest,
      deepest,
      peakRssMiB: peakRssMiB(pid),
    };
  } finally {
    await stop(child);
    await fake.close();
  }
}
