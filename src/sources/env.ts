/** An environment variable, read at every run (a process supervisor or the program itself may change it). */
import type { Environment } from "../environment.js";
import { sample, wholeNumber } from "./number.js";
import { SourceError, type ValueSource } from "./types.js";

export function envSource(variable: string, env: Environment): ValueSource {
  const readNow = (): number => {
    const text = env[variable];
    if (text === undefined) throw new SourceError(`environment variable ${variable} is not set`);
    const value = wholeNumber(text);
    if (value === undefined)
      throw new SourceError(`environment variable ${variable} is not a number (got ${sample(text)})`);
    return value;
  };
  return {
    readNow,
    read: () =>
      new Promise<number>((resolve) => {
        resolve(readNow());
      }),
  };
}
