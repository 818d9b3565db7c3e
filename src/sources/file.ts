/** The first number in a file (sysfs, procfs, a file another program writes). */
import { open } from "node:fs/promises";
import { fileProblem } from "../file-problem.js";
import { firstNumber, sample } from "./number.js";
import { SourceError, type ValueSource } from "./types.js";

/** Only the start of a file is read: the number is expected near the top. */
export const MAX_FILE_BYTES_READ = 64 * 1024;

export function fileSource(path: string): ValueSource {
  return {
    async read(signal) {
      let text: string;
      try {
        const handle = await open(path, "r");
        try {
          const buffer = Buffer.alloc(MAX_FILE_BYTES_READ);
          const { bytesRead } = await handle.read(buffer, 0, MAX_FILE_BYTES_READ, null);
          text = buffer.toString("utf8", 0, bytesRead);
        } finally {
          await handle.close();
        }
      } catch (cause) {
        throw new SourceError(`file ${path} ${fileProblem(cause)}`, { cause });
      }
      signal.throwIfAborted();
      const value = firstNumber(text);
      if (value === undefined)
        throw new SourceError(`file ${path} holds no number (starts with ${sample(text)})`);
      return value;
    },
  };
}
