/** `scrape`'s command line, checked: every mistake a one-line UsageError that never repeats a secret. */
import { UsageError } from "../cli/context.js";
import { parseCommandArgs } from "../cli/parse.js";
import { urlForLogs } from "../common/redactor.js";
import { parseDurationMs } from "../config/duration.js";
import { globFilter, type NameFilter } from "../sources/system/glob.js";

/** A metrics endpoint answers in well under a second; the config's own default timeout. */
export const DEFAULT_SCRAPE_TIMEOUT = "10s";
/** As the config's `timeout`: at most an hour. */
const MAX_TIMEOUT_MS = 3_600_000;
/** An HTTP header name (RFC 9110's token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface ScrapeOptions {
  readonly help: boolean;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** As written, for messages. */
  readonly timeout: string;
  /** Over family names; undefined without --match. */
  readonly match: { readonly globs: readonly string[]; readonly filter: NameFilter } | undefined;
  readonly output: "text" | "json" | "yaml";
}

export function scrapeOptions(args: readonly string[]): ScrapeOptions {
  const { values, positionals } = parseCommandArgs(
    "scrape",
    args,
    {
      match: { type: "string", short: "m", multiple: true },
      header: { type: "string", short: "H", multiple: true },
      timeout: { type: "string", default: DEFAULT_SCRAPE_TIMEOUT },
      yaml: { type: "boolean" },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  if (values.help === true)
    return { help: true, url: "", headers: {}, timeoutMs: 0, timeout: "", match: undefined, output: "text" };
  const format = values.format;
  if (format !== "text" && format !== "json")
    throw new UsageError(`scrape: --format must be text or json (got "${format}")`);
  if (values.yaml === true && format === "json")
    throw new UsageError("scrape: --yaml and --format json each choose the output; give one of them");
  const globs = (values.match ?? []).flatMap((m) => m.split(",")).map((g) => g.trim());
  if (globs.some((g) => g === "" || g === "!"))
    throw new UsageError('scrape: --match takes globs over family names, e.g. --match "http_*,process_*"');
  return {
    help: false,
    url: endpointUrl(positionals),
    headers: headers(values.header ?? []),
    timeoutMs: timeoutMs(values.timeout),
    timeout: values.timeout,
    match: globs.length === 0 ? undefined : { globs, filter: globFilter(globs) },
    output: values.yaml === true ? "yaml" : format,
  };
}

function endpointUrl(positionals: readonly string[]): string {
  if (positionals.length === 0)
    throw new UsageError(
      "scrape: give the endpoint's URL, e.g. cloudwatch-publisher scrape http://127.0.0.1:9100/metrics",
    );
  if (positionals.length > 1)
    throw new UsageError(`scrape: one URL at a time (got ${positionals.length} arguments)`);
  const url = positionals[0]!;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:"))
    throw new UsageError(
      `scrape: ${JSON.stringify(urlForLogs(url))} is not an http:// or https:// URL, e.g. http://127.0.0.1:9100/metrics`,
    );
  return url;
}

/** `--header "Name: value"`, repeatable; a later one replaces an earlier one of the same name (in any case). */
function headers(given: readonly string[]): Record<string, string> {
  const byLowerName = new Map<string, [string, string]>();
  for (const header of given) {
    const colon = header.indexOf(":");
    const name = colon === -1 ? "" : header.slice(0, colon).trim();
    if (!HEADER_NAME.test(name))
      throw new UsageError(
        `scrape: --header must be "Name: value", e.g. --header "Authorization: Bearer $TOKEN"${colon === -1 ? " (it has no colon)" : ` (${JSON.stringify(name)} is not a header name)`}`,
      );
    byLowerName.delete(name.toLowerCase());
    byLowerName.set(name.toLowerCase(), [name, header.slice(colon + 1).trim()]);
  }
  return Object.fromEntries(byLowerName.values());
}

function timeoutMs(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0 || ms > MAX_TIMEOUT_MS)
    throw new UsageError(
      `scrape: --timeout must be a duration from "1ms" to "1h" such as "500ms", "10s" or "2m" (got ${JSON.stringify(text)})`,
    );
  return ms;
}
