/**
 * A config file's text, read so that nothing can hang or exhaust the loader: the file is opened
 * without blocking (a named pipe given as the config would otherwise wait forever for a writer),
 * anything but a regular file is refused at once, and no more than MAX_CONFIG_BYTES is read.
 */
import { constants, type Stats } from "node:fs";
import { open } from "node:fs/promises";
import { fileKind } from "../common/file-kind.js";
import { fileProblem } from "../common/file-problem.js";
import { ConfigFileError } from "./file-error.js";

/** The largest config accepted: about 50,000 one-line metrics; parsing it takes a few hundred MB. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const IS_A_DIRECTORY =
  "is a directory, not a file; when the file named in docker run -v does not exist, Docker creates an empty directory in its place: remove that directory (rmdir), create the file, then start the container again";

/** A config file over MAX_CONFIG_BYTES: an invalid config (exit 1), reported with the limit. */
export class ConfigTooLargeError extends Error {
  override name = "ConfigTooLargeError";
  constructor(readonly file: string) {
    super(
      `the file is larger than ${MAX_CONFIG_BYTES} bytes (4 MiB), the most a config may be; split the metrics over several publishers`,
    );
  }
}

/** The file's text; throws ConfigFileError when it cannot be read, ConfigTooLargeError when it is too big. */
export async function readConfigFile(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (cause) {
    throw new ConfigFileError(file, fileProblem(cause), { cause });
  }
  try {
    const stats: Stats = await handle.stat();
    // `docker run -v "$PWD/config.yaml:..."` with no such file makes Docker create a directory there.
    if (stats.isDirectory()) throw new ConfigFileError(file, IS_A_DIRECTORY);
    if (!stats.isFile()) {
      throw new ConfigFileError(
        file,
        `is ${fileKind(stats)}, not a regular file; give the path of a config file`,
      );
    }
    if (stats.size > MAX_CONFIG_BYTES) throw new ConfigTooLargeError(file);
    // The file can grow between fstat and read: read up to one byte more than allowed to notice.
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > MAX_CONFIG_BYTES) throw new ConfigTooLargeError(file);
    }
    return buffer.toString("utf8", 0, filled);
  } catch (cause) {
    if (cause instanceof ConfigFileError || cause instanceof ConfigTooLargeError) throw cause;
    throw new ConfigFileError(file, fileProblem(cause), { cause });
  } finally {
    await handle.close();
  }
}
