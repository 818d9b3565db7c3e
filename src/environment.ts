/**
 * The process environment as every layer reads it: passed in, never read from `process.env` deep in
 * the code, so tests and the config worker can hand over their own. The bottom module: it imports
 * nothing of ours, and anything may import it.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A variable's value, or undefined when it is unset or empty (both mean "not configured"). */
export function setting(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}
