/**
 * The identity of a scraped series: its labels, one left aside (a histogram's `le`, which makes its
 * buckets one series; or a summary's `quantile` for `scrape`'s count), in name order, so that one
 * label set written in two orders is one series.
 */
export function labelSetKey(labels: Readonly<Record<string, string>>, leaveOut?: string): string {
  const entries = Object.entries(labels).filter(([name]) => name !== leaveOut);
  if (entries.length > 1) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}
