import type { ValueSource } from "./types.js";

export function constantSource(value: number): ValueSource {
  return {
    readNow: () => value,
    read: () => Promise.resolve(value),
  };
}
