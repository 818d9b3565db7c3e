/** Opening the outbox directory at start: the lock, the replay, and what to do when it cannot be used. */
import { isPermissionError, permissionHint } from "../common/file-problem.js";
import { plural } from "../common/plural.js";
import type { Config } from "../config/types.js";
import type { Logger } from "../log.js";
import {
  OutboxLockedError,
  SegmentLog,
  type ReplayResult,
  type WriteFn,
} from "../publish/outbox/segment-log.js";

export interface OpenedOutbox {
  readonly log: SegmentLog;
  readonly replay: ReplayResult;
}

export interface OpenOutboxOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly outboxWrite?: WriteFn;
  readonly signal?: AbortSignal;
}

/**
 * The outbox directory, opened and replayed; undefined without one, or when it cannot be used (the
 * process then keeps its outbox in memory, loudly). A directory another publisher holds is not
 * "cannot be used": that rejects, and the start fails.
 */
export async function openOutbox(options: OpenOutboxOptions): Promise<OpenedOutbox | undefined> {
  const { config, logger } = options;
  const dir = config.delivery.outboxDir;
  if (dir === undefined) return undefined;
  try {
    const opened = await SegmentLog.open({
      dir,
      fsync: config.delivery.fsync,
      logger,
      ...(options.outboxWrite === undefined ? {} : { write: options.outboxWrite }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const { replay } = opened;
    if (replay.pending.length > 0 || replay.skippedRecords > 0) {
      logger.info(`outbox: replaying ${plural(replay.pending.length, "undelivered datum")} from ${dir}`, {
        replayed: replay.pending.length,
        skippedRecords: replay.skippedRecords,
        lostDatums: replay.lostDatums,
      });
    }
    return opened;
  } catch (error) {
    if (error instanceof OutboxLockedError || options.signal?.aborted === true) throw error;
    const err = error as NodeJS.ErrnoException;
    const hint = isPermissionError(err) ? `; ${permissionHint("write")}` : "";
    logger.error(
      `OUTBOX NOT DURABLE: the outbox directory ${dir} cannot be used (${err.code ?? err.name}: ${err.message}); undelivered datums are kept in memory only${hint}`,
      { outboxDir: dir, error: err.code },
    );
    return undefined;
  }
}
