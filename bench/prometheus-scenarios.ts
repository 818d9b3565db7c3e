/** What bench/prometheus-scrape.ts measures, one process a scenario, and what bench/prometheus-table.ts reports. */

/** Series (sample lines) of the endpoint's body. */
export const SERIES = 10_000;
/** Series of the body's leading `http_requests_total`, the counter the entries read. */
export const REQUESTS_SERIES = 1_000;

export const SCENARIOS = [
  "get",
  "parse",
  "reading",
  "one",
  "one-gzip",
  "three-shared",
  "three-separate",
] as const;
export type Scenario = (typeof SCENARIOS)[number];
