/**
 * Reading a named pipe or a device, opted into with `allowSpecialFile: true`, without ever blocking a
 * thread. The descriptor is non-blocking (O_NONBLOCK): a named pipe is read through the event loop
 * like a socket (epoll, no I/O thread at all); a device is read with non-blocking calls, waiting
 * between them while it has nothing to give. The read ends at end of file, at the size limit, or as
 * soon as a whole line holding a number has arrived (a producer that keeps the pipe open between
 * values); the caller's signal (the metric's timeout) ends it in any case and closes the descriptor.
 */
import { close, read, type Stats } from "node:fs";
import { Socket } from "node:net";
import { promisify } from "node:util";
import type { IoPoolGuard } from "./io-pool-guard.js";

/** How long to wait before asking a device that had nothing to give again. */
export const DEVICE_POLL_INTERVAL_MS = 50;

const readFd = promisify(read);
const closeFd = promisify(close);

/** A complete line with a number in it: enough to stop reading. */
const LINE_WITH_NUMBER = /[0-9][^\n]*\n/;

function enough(text: string, maxBytes: number): boolean {
  return Buffer.byteLength(text) >= maxBytes || LINE_WITH_NUMBER.test(text);
}

function readPipe(fd: number, signal: AbortSignal, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // The socket owns the descriptor from here on: destroying it closes it.
    const pipe = new Socket({ fd, readable: true, writable: false });
    let text = "";
    const done = (error?: Error) => {
      signal.removeEventListener("abort", onAbort);
      pipe.destroy();
      if (error === undefined) resolve(text);
      else reject(error);
    };
    const onAbort = () => {
      done(new Error("aborted"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pipe.setEncoding("utf8");
    pipe.on("data", (chunk: string) => {
      text += chunk;
      if (enough(text, maxBytes)) done();
    });
    pipe.on("end", () => {
      done();
    });
    pipe.on("error", done);
    if (signal.aborted) onAbort();
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      resolve();
    }
    signal.addEventListener("abort", finish, { once: true });
  });
}

async function readDevice(
  fd: number,
  signal: AbortSignal,
  guard: IoPoolGuard,
  maxBytes: number,
): Promise<string> {
  const buffer = Buffer.alloc(maxBytes);
  let filled = 0;
  try {
    while (!signal.aborted && filled < maxBytes) {
      let bytes: number;
      try {
        ({ bytesRead: bytes } = await guard.run(
          () => readFd(fd, buffer, filled, maxBytes - filled, null),
          signal,
        ));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
        await pause(DEVICE_POLL_INTERVAL_MS, signal);
        continue;
      }
      if (bytes === 0) break;
      filled += bytes;
      if (enough(buffer.toString("utf8", 0, filled), maxBytes)) break;
    }
    return buffer.toString("utf8", 0, filled);
  } finally {
    await guard.run(() => closeFd(fd)).catch(() => undefined);
  }
}

/** Reads a non-regular file the caller opened with O_NONBLOCK; takes over (and closes) the descriptor. */
export function readSpecialFile(
  fd: number,
  stats: Stats,
  signal: AbortSignal,
  guard: IoPoolGuard,
  maxBytes: number,
): Promise<string> {
  return stats.isFIFO() || stats.isSocket()
    ? readPipe(fd, signal, maxBytes)
    : readDevice(fd, signal, guard, maxBytes);
}
