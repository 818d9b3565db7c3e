/**
 * EMF to a file, for a log agent (Fluent Bit, the CloudWatch agent) to tail. The file is opened for
 * appending and created when missing (mode 0644: the agent usually runs as another user). Before
 * each write the path is checked against the open file: when logrotate (or anyone) renamed or
 * deleted it, or put another file in its place, the open file is closed and the path opened anew,
 * so documents never go on into a rotated file. A file truncated in place (copytruncate) needs
 * nothing: with O_APPEND every write lands at the current end. A failure (a missing directory, a
 * full disk, no permission) is returned as a value; the next write tries again from the start.
 */
import { constants } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { queuedEmfWriter, writeFailure, type EmfWriter, type EmfWriteResult } from "./emf-writer.js";

export const EMF_FILE_MODE = 0o644;

export function fileEmfWriter(path: string): EmfWriter {
  let handle: FileHandle | undefined;

  const release = async () => {
    const old = handle;
    handle = undefined;
    await old?.close().catch(() => undefined);
  };

  /** The open file, when it is still the one at `path`; otherwise undefined (and closed). */
  const current = async (): Promise<FileHandle | undefined> => {
    if (handle === undefined) return undefined;
    try {
      const [atPath, opened] = await Promise.all([stat(path), handle.stat()]);
      if (atPath.ino === opened.ino && atPath.dev === opened.dev) return handle;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    await release();
    return undefined;
  };

  const writeNow = async (bytes: Buffer): Promise<EmfWriteResult> => {
    try {
      const file =
        (await current()) ??
        (handle = await open(
          path,
          constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
          EMF_FILE_MODE,
        ));
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await file.write(bytes, written, bytes.length - written);
        written += bytesWritten;
      }
      return { ok: true, bytes: written };
    } catch (error) {
      // A file that failed once is opened anew next time (the disk may have room again).
      await release();
      return writeFailure(path, error);
    }
  };

  return queuedEmfWriter(path, writeNow, release);
}
