/** What a command may touch of the process: its environment and its two output streams. */
import type { Environment } from "../environment.js";

export interface Output {
  write(text: string): void;
}

export interface CommandContext {
  readonly env: Environment;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Whether stdout is a terminal: logs are then text rather than JSON. */
  readonly stdoutIsTty: boolean;
  /** Standard input, for `validate-config -`; absent where there is none to read (tests). */
  readonly stdin?: AsyncIterable<Buffer | string>;
}

/** A mistake on the command line: printed as one line with a pointer to --help, exit code USAGE. */
export class UsageError extends Error {
  override name = "UsageError";
}

export type Command = (args: readonly string[], context: CommandContext) => Promise<number>;
