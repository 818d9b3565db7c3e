/** A place inside a config document, as a list of keys and list indexes, and how it is written. */
export type PathSegment = string | number;
export type ConfigPath = readonly PathSegment[];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `["metrics", 2, "source", "url"]` → `metrics[2].source.url`; the document itself is `(root)`. */
export function formatPath(path: ConfigPath): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** An ajv instancePath (`/metrics/2/source/url`) → path segments, array indexes as numbers. */
export function fromJsonPointer(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}
