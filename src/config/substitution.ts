/** A value that `${VAR}` substitution produced: where, what was written, and what it became. */
import type { ConfigPath } from "./path.js";

export interface Substitution {
  readonly path: ConfigPath;
  /** The text as written in the file, `${VAR}` references and all. */
  readonly template: string;
  readonly value: string | number | boolean;
}
