/**
 * Resolves platform placeholders from instance and task metadata, asking only the documents the names
 * need, within PLATFORM_DEADLINE_MS. Never throws: a name that cannot be resolved is a reason naming
 * the place it was looked for.
 */
import { MAX_DIMENSION_VALUE_LENGTH } from "../cloudwatch/limits.js";
import { isNotFound } from "./metadata-failure.js";
import { PLACEHOLDERS, type PlaceholderName } from "./placeholders.js";
import type { PlatformEnv } from "./platform-env.js";
import { readDocuments } from "./read-documents.js";

export interface PlatformIdentity {
  /** Each resolved name and its value. */
  readonly values: ReadonlyMap<PlaceholderName, string>;
  /** Each name that could not be resolved, and why: "looked for at <place>: <what happened>". */
  readonly unresolved: ReadonlyMap<PlaceholderName, string>;
  /** Each name asked for and the place it was looked for: a URL and the field read there. */
  readonly sources: ReadonlyMap<PlaceholderName, string>;
}

export interface ResolveOptions {
  /** Stops the resolution early (shutdown): what is still pending becomes unresolved. */
  readonly signal?: AbortSignal;
}

export async function resolveIdentity(
  needed: ReadonlySet<PlaceholderName>,
  env: PlatformEnv = process.env,
  options: ResolveOptions = {},
): Promise<PlatformIdentity> {
  const values = new Map<PlaceholderName, string>();
  const unresolved = new Map<PlaceholderName, string>();
  const sources = new Map<PlaceholderName, string>();
  if (needed.size === 0) return { values, unresolved, sources };

  const documents = await readDocuments(
    new Set([...needed].map((name) => PLACEHOLDERS[name].document)),
    env,
    options.signal,
  );
  for (const name of needed) {
    const source = PLACEHOLDERS[name];
    const fetched = documents.get(source.document)!;
    const place = source.field === "" ? fetched.url : `${fetched.url}, field ${source.field}`;
    sources.set(name, place);
    const value = fetched.ok ? source.pick(fetched.document) : undefined;
    // No identity is longer than a dimension value may be: a longer answer is not one (and is not kept).
    if (value !== undefined && value.length <= MAX_DIMENSION_VALUE_LENGTH) {
      values.set(name, value);
      continue;
    }
    let why: string;
    if (value !== undefined)
      why = `the value is ${value.length} characters long, more than the ${MAX_DIMENSION_VALUE_LENGTH} of a dimension value`;
    else if (fetched.ok)
      why = source.field === "" ? "the answer is empty" : `the document has no ${source.field}`;
    else why = fetched.reason;
    const absent = fetched.ok || isNotFound(fetched.reason);
    if (absent && source.whenMissing !== undefined) why += `; ${source.whenMissing}`;
    unresolved.set(name, `looked for at ${place}: ${why}`);
  }
  return { values, unresolved, sources };
}
