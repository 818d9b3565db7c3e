/**
 * Where EMF documents go: a stream (stdout) or a file. A batch is written as one piece, one document
 * a line, so no other output can land inside it; a failed write is a value that health reads as
 * "not delivering", never a throw or a crash.
 */

export type EmfWriteResult =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly error: Error; readonly message: string };

export interface EmfWriter {
  /** "stdout", or the file's path: for log lines and the health status. */
  readonly target: string;
  /** Writes the documents, each followed by a line break, after every earlier write has ended. */
  write(documents: readonly string[]): Promise<EmfWriteResult>;
  /** Waits for writes under way, then releases the file (a stream is left open). Idempotent. */
  close(): Promise<void>;
}

/** The batch as the bytes to write: every document on a line of its own. */
export function emfBatch(documents: readonly string[]): Buffer {
  return Buffer.from(documents.length === 0 ? "" : `${documents.join("\n")}\n`, "utf8");
}

/**
 * An EmfWriter from the one thing a target does, writing a batch's bytes: batches run one after
 * another (never mixing their bytes), a closed writer refuses, and `close` waits for writes under
 * way before `release`.
 */
export function queuedEmfWriter(
  target: string,
  writeNow: (bytes: Buffer) => Promise<EmfWriteResult>,
  release: () => Promise<void>,
): EmfWriter {
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const queue = <T>(task: () => Promise<T>): Promise<T> => {
    const next = tail.then(task, task);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    target,
    write: (documents) => {
      if (closed) return Promise.resolve(writeFailure(target, new Error("the EMF writer is closed")));
      const bytes = emfBatch(documents);
      return queue(() => writeNow(bytes));
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await queue(release);
    },
  };
}

export function writeFailure(target: string, error: unknown): EmfWriteResult {
  const cause = error instanceof Error ? error : new Error(String(error));
  const code = (cause as NodeJS.ErrnoException).code;
  return {
    ok: false,
    error: cause,
    // Node's system errors begin with their code ("EISDIR: illegal operation..."): said once.
    message: `writing EMF to ${target} failed (${code ?? cause.name}: ${code === undefined ? cause.message : cause.message.replace(`${code}: `, "")})`,
  };
}
