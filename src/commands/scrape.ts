/**
 * `scrape URL [--match GLOB] [--yaml]`: what a /metrics endpoint serves, family by family, and the
 * metric entries that would publish it. One GET, as the prometheus source makes it (scrape.ts).
 */
import type { Command } from "../cli/context.js";
import { ExitCode } from "../exit-codes.js";
import { plural } from "../common/plural.js";
import { familySummary, type FamilySummary } from "../sources/prometheus/family-summary.js";
import { familyTable } from "../sources/prometheus/family-table.js";
import { metricEntriesYaml, type EntrySource } from "../sources/prometheus/metric-entries.js";
import type { MetricFamily } from "../sources/prometheus/metric-family.js";
import { scrape, scrapeRequest } from "../sources/prometheus/scrape.js";
import { SourceError } from "../sources/types.js";
import { DEFAULT_SCRAPE_TIMEOUT, scrapeOptions, type ScrapeOptions } from "./scrape-options.js";

export const SCRAPE_HELP = `Usage: cloudwatch-publisher scrape URL [--match GLOB] [--yaml] [options]

Scrapes a Prometheus or OpenMetrics /metrics endpoint once and prints every
metric family it serves, in its order: the type, the series, the label names
(a histogram's le and a summary's quantile aside) and the HELP text. With
--yaml it prints instead a metric entry for each family (type: prometheus,
every label kept, what each costs in series as a comment), ready to paste under
the metrics: of a config whose defaults set the namespace. The URL's user,
password and query, and header values, are never printed: the entries read
them from environment variables, which a comment names.

Options:
  -m, --match GLOB      only the families whose name matches: * and ?, !GLOB
                        leaves out; repeat it or separate globs with commas
  -H, --header "Name: value"
                        a request header (repeatable), e.g. for a token
  --timeout DURATION    how long the scrape may take (default ${DEFAULT_SCRAPE_TIMEOUT})
  --yaml                print metric entries instead of the table
  --format text|json    text (default): the table; json: {"url", "families":
                        [{"name", "type", "help", "unit", "labels": [{"name",
                        "values", "refused"}], "labelSets", "series",
                        "quantiles"}]}
  -h, --help            show this help

Exit codes: 0 printed, 2 usage error (also a --match that matches no family),
3 the endpoint could not be scraped (no answer, not 2xx, a body over 1 MiB,
not Prometheus or OpenMetrics text, or no family at all).
`;

/** Environment variables the YAML reads what it does not print from. */
const URL_VARIABLE = "PROMETHEUS_URL";
const headerVariable = (name: string) => `PROMETHEUS_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

export const scrapeCommand: Command = async (args, { stdout, stderr }) => {
  const options = scrapeOptions(args);
  if (options.help) {
    stdout.write(SCRAPE_HELP);
    return ExitCode.OK;
  }
  const http = scrapeRequest(options.url, options.headers);
  let families: readonly MetricFamily[];
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    families = await scrape(http, signal);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    const after = signal.aborted ? ` after ${options.timeout} (--timeout)` : "";
    stderr.write(`scrape: ${error.message}${after}\n`);
    return ExitCode.UNREADABLE;
  }
  if (families.length === 0) {
    stderr.write(`scrape: GET ${http.shown} answered with no metric family; is it the /metrics path?\n`);
    return ExitCode.UNREADABLE;
  }
  const chosen = chosenFamilies(families, options);
  if (chosen.length === 0) {
    stderr.write(
      `scrape: --match ${JSON.stringify(options.match!.globs.join(","))} matches none of the ${plural(families.length, "family", "families")} at ${http.shown}; run without --match to list them\n`,
    );
    return ExitCode.USAGE;
  }
  const summaries = chosen.map(familySummary);
  if (options.output === "json")
    stdout.write(`${JSON.stringify({ url: http.shown, families: summaries }, null, 2)}\n`);
  else if (options.output === "text") stdout.write(familyTable(summaries, http.shown));
  else stdout.write(entriesYaml(summaries, http.shown, options));
  return ExitCode.OK;
};

function chosenFamilies(families: readonly MetricFamily[], { match }: ScrapeOptions): MetricFamily[] {
  return match === undefined ? [...families] : families.filter((family) => match.filter(family.name));
}

/** The entries, with what the URL and the headers hold that is not printed read from the environment. */
function entriesYaml(summaries: readonly FamilySummary[], shown: string, options: ScrapeOptions): string {
  const parsed = new URL(options.url);
  const secretUrl = parsed.username !== "" || parsed.password !== "" || parsed.search !== "";
  const headers = Object.keys(options.headers).map((name) => [name, `\${${headerVariable(name)}}`] as const);
  const source: EntrySource = { url: secretUrl ? `\${${URL_VARIABLE}}` : options.url, headers };
  const notes = [
    ...(secretUrl
      ? [
          `The URL's user, password and query are not printed: set ${URL_VARIABLE} to the whole URL where the publisher runs.`,
        ]
      : []),
    ...headers.map(
      ([name, value]) => `The ${name} header's value is not printed: set ${value.slice(2, -1)} to it.`,
    ),
  ];
  return metricEntriesYaml(summaries, shown, source, notes);
}
