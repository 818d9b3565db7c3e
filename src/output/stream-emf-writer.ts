/**
 * EMF to a stream, normally stdout (where a container's log driver picks it up). In EMF mode the
 * caller sends every log line to stderr, so stdout carries nothing but documents. A reader that went
 * away (EPIPE) or any other stream error makes writes fail as values; the process does not crash.
 */
import { queuedEmfWriter, writeFailure, type EmfWriter, type EmfWriteResult } from "./emf-writer.js";

export function streamEmfWriter(stream: NodeJS.WritableStream, target = "stdout"): EmfWriter {
  let streamError: Error | undefined;
  // Without a listener an EPIPE on stdout would be an uncaught 'error' event.
  const onError = (error: Error) => {
    streamError ??= error;
  };
  stream.on("error", onError);

  const writeNow = (bytes: Buffer): Promise<EmfWriteResult> =>
    new Promise((resolve) => {
      if (streamError !== undefined) {
        resolve(writeFailure(target, streamError));
        return;
      }
      if (bytes.length === 0) {
        resolve({ ok: true, bytes: 0 });
        return;
      }
      // The callback runs once the bytes are handed to the OS, or with the error that stopped them.
      stream.write(bytes, (error) => {
        const failure = error ?? streamError;
        resolve(failure ? writeFailure(target, failure) : { ok: true, bytes: bytes.length });
      });
    });

  return queuedEmfWriter(target, writeNow, () => {
    stream.off("error", onError);
    return Promise.resolve();
  });
}
