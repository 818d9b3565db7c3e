/** One scrape of a /metrics endpoint: a GET (http-get.ts: the body cap, redirects, secrets) and a parse. */
import { Redactor } from "../../common/redactor.js";
import { HttpGet } from "../http-get.js";
import { SourceError } from "../types.js";
import type { MetricFamily } from "./metric-family.js";
import { parseExposition } from "./parse.js";

/**
 * What a scrape asks for, as Prometheus itself does: OpenMetrics first, then the text format 0.0.4.
 * Sent unless the config's `headers` set Accept.
 */
export const PROMETHEUS_ACCEPT =
  "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/** The prepared GET of an endpoint, with the Accept a scrape sends. */
export function scrapeRequest(
  url: string,
  headers: Readonly<Record<string, string>>,
  redactor: Redactor = new Redactor(),
): HttpGet {
  return new HttpGet(url, headers, redactor, { Accept: PROMETHEUS_ACCEPT });
}

/**
 * The endpoint's metric families; a SourceError naming the URL and the line when the body is not
 * exposition text. The line is quoted with the URL's credentials and query values and the header
 * values replaced: an endpoint's error page may echo them.
 */
export async function scrape(http: HttpGet, signal: AbortSignal): Promise<readonly MetricFamily[]> {
  const { body } = await http.get(signal);
  const parsed = parseExposition(body);
  if (!parsed.ok) {
    const error = http.redactor.redact(parsed.error);
    // The parser names HTML and JSON bodies itself ("line 1: the body is HTML or XML, not ...").
    const what = error.includes("not Prometheus") ? "" : "the body is not Prometheus or OpenMetrics text: ";
    throw new SourceError(`GET ${http.shown}: ${what}${error}`);
  }
  return parsed.families;
}
