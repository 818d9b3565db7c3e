/**
 * A stream that holds what is written to it until it is told where it goes. The logger is created
 * before the config is loaded, but only the config says whether stdout carries EMF documents (then
 * every log line goes to stderr): lines written before that are held, then sent on in order.
 */
import { Writable } from "node:stream";

export interface HeldStream {
  readonly stream: Writable;
  /** Sends what was held to `write`, and everything after it; only the first call counts. */
  route(write: (text: string) => void): void;
}

export function heldStream(): HeldStream {
  let held: string[] | undefined = [];
  let target: ((text: string) => void) | undefined;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = chunk.toString();
      if (target === undefined) held!.push(text);
      else target(text);
      callback();
    },
  });
  return {
    stream,
    route(write) {
      if (target !== undefined) return;
      target = write;
      for (const text of held!) write(text);
      held = undefined;
    },
  };
}
