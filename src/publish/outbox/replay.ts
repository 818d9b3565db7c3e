/**
 * Replaying the outbox directory at start: every segment read oldest first, each datum kept until an
 * acknowledgement removes it. A damaged record or an unreadable segment is skipped, logged and
 * counted, never fatal.
 */
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import type { MetricIdentity } from "../../cloudwatch/datum.js";
import type { Logger } from "../../log.js";
import type { OutboxLock } from "./lock.js";
import type { OutboxEntry } from "./outbox.js";
import { decodeLine } from "./record-codec.js";
import { CHUNK_BYTES, errorText, SEGMENT } from "./segment-files.js";

/** The lock is refreshed this often (in lines) during a long replay, which blocks its timer. */
const REFRESH_EVERY_LINES = 50_000;
/** Damaged records logged one by one per segment; beyond that, one summary line. */
const DAMAGE_LOG_LIMIT = 10;

export interface ReplayResult {
  /** The undelivered datums, oldest first, as outbox entries waiting to be sent. */
  readonly pending: OutboxEntry[];
  /** Records skipped as damaged (torn, corrupt, malformed). */
  readonly skippedRecords: number;
  /** Of those, the ones that may have held a datum: lost, and counted as dropped ("corrupt"). */
  readonly lostDatums: number;
  /** The segments read: compaction deletes them once their datums are rewritten. */
  readonly segments: readonly string[];
  /** The highest segment index found, read or not: a new segment is numbered after it. */
  readonly lastSegmentIndex: number;
}

/** Calls `onLine` with each line of a file read in chunks; a last line without a newline is `torn`. */
function forEachLine(path: string, onLine: (line: string, torn: boolean) => void): void {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const data =
        rest.length === 0 ? chunk.subarray(0, read) : Buffer.concat([rest, chunk.subarray(0, read)]);
      let start = 0;
      for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
        onLine(data.toString("utf8", start, end), false);
        start = end + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    if (rest.length > 0) onLine(rest.toString("utf8"), true);
  } finally {
    closeSync(fd);
  }
}

/** Reads every segment in `dir`, refreshing `lock` as it goes. */
export function replaySegments(dir: string, logger: Logger, lock: OutboxLock): ReplayResult {
  const replayed: string[] = [];
  let lastSegmentIndex = 0;
  const pending = new Map<number, OutboxEntry>();
  const identities = new Map<string, MetricIdentity>();
  let skippedRecords = 0;
  let lostDatums = 0;
  // Kept across segments, and changed in the line callback below.
  const order = { sorted: true, lastSeq: 0, lines: 0 };
  const segments = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => SEGMENT.test(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const segment of segments) {
    const index = Number(SEGMENT.exec(segment.name)![1]);
    lastSegmentIndex = Math.max(lastSegmentIndex, index);
    if (!segment.isFile()) {
      logger.warn(`outbox: ${segment.name} in ${dir} is not a regular file; left alone`, {
        outboxDir: dir,
      });
      continue;
    }
    let damaged = 0;
    let lineNumber = 0;
    try {
      forEachLine(join(dir, segment.name), (text, torn) => {
        lineNumber++;
        if (++order.lines % REFRESH_EVERY_LINES === 0) lock.refresh();
        const decoded = decodeLine(text, identities);
        if (decoded.kind === "datum") {
          const { entry } = decoded;
          if (entry.seq <= order.lastSeq) order.sorted = false;
          order.lastSeq = entry.seq;
          pending.set(entry.seq, entry);
          return;
        }
        if (decoded.kind === "ack") {
          for (const [first, last] of decoded.ranges) {
            // Bounded by what the log holds: a range of a billion costs no more than the pending datums.
            if (last - first < pending.size) for (let seq = first; seq <= last; seq++) pending.delete(seq);
            else for (const seq of pending.keys()) if (seq >= first && seq <= last) pending.delete(seq);
          }
          return;
        }
        skippedRecords++;
        if (decoded.datumLost) lostDatums++;
        if (++damaged <= DAMAGE_LOG_LIMIT) {
          const what = torn
            ? "a torn last record (an interrupted write)"
            : `a damaged record (${decoded.reason})`;
          const consequence = decoded.datumLost
            ? "a datum it held is lost"
            : "datums it acknowledged may be sent again";
          logger.warn(
            `outbox: ${segment.name}:${lineNumber}: skipped ${what} of ${text.length} bytes; ${consequence}`,
            {
              outboxDir: dir,
              reason: "corrupt",
            },
          );
        }
      });
    } catch (error) {
      logger.error(
        `outbox: cannot read ${segment.name} in ${dir} (${errorText(error as NodeJS.ErrnoException)}); left in place, its datums are not replayed`,
        { outboxDir: dir },
      );
      continue;
    }
    if (damaged > DAMAGE_LOG_LIMIT) {
      logger.warn(`outbox: ${segment.name}: ${damaged - DAMAGE_LOG_LIMIT} more damaged records skipped`, {
        outboxDir: dir,
        reason: "corrupt",
      });
    }
    replayed.push(segment.name);
  }
  const entries = [...pending.values()];
  if (!order.sorted) entries.sort((a, b) => a.seq - b.seq);
  return { pending: entries, skippedRecords, lostDatums, segments: replayed, lastSegmentIndex };
}
