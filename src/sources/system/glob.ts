/**
 * The `mounts`, `devices` and `interfaces` lists: shell-style globs over a name, `*` for any run of
 * characters (slashes included, so `/data*` matches `/data/logs`), `?` for one character, and a
 * leading `!` to leave out what the others let in (`["*", "!veth*"]`). A list of exclusions only
 * starts from everything. Matching is exact and case-sensitive, like the kernel's names.
 */
export type NameFilter = (name: string) => boolean;

function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === "*" ? ".*" : c === "?" ? "." : `\\${c}`));
  return new RegExp(`^${source}$`, "s");
}

export function globFilter(globs: readonly string[]): NameFilter {
  const include = globs.filter((g) => !g.startsWith("!")).map(globToRegExp);
  const exclude = globs.filter((g) => g.startsWith("!")).map((g) => globToRegExp(g.slice(1)));
  const anyIncluded = include.length === 0 ? () => true : (name: string) => include.some((r) => r.test(name));
  return (name) => anyIncluded(name) && !exclude.some((r) => r.test(name));
}
