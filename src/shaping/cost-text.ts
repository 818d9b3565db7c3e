/** The `cost` command's text output: one table per namespace and total, then the notes. */
import type { CostEstimate, Usd } from "./cost-estimate.js";

const count = (n: number): string => n.toLocaleString("en-US");
const dollars = (n: number): string => `$${n.toFixed(2)}`;
const usdCells = (u: Usd): string[] => [dollars(u.metrics), dollars(u.requests), dollars(u.total)];

export function renderCostText(estimate: CostEstimate): string {
  const header = ["namespace", "series", "datums/month", "requests/month", "metrics", "requests", "total"];
  const rows = estimate.namespaces.map((n) => [
    n.namespace,
    count(n.series),
    count(n.datumsPerMonth),
    count(n.requestsPerMonth),
    ...usdCells(n.usdPerMonth),
  ]);
  rows.push([
    "total",
    count(estimate.series),
    count(estimate.datumsPerMonth),
    count(estimate.requestsPerMonth),
    ...usdCells(estimate.usdPerMonth),
  ]);
  const table = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const lines = table.map(line);
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const { priceList } = estimate;
  lines.push(
    "",
    `USD per month at the ${priceList.region} list price read on ${priceList.readOn} (${priceList.source}); a month is 30 days;`,
    `requests at the batching floor (1,000 datums per request). Free tier: ${priceList.freeTier}.`,
  );
  const saving = estimate.aggregateSaving;
  if (saving !== undefined) {
    lines.push(
      "",
      `aggregate: { period: 1m } on ${saving.metrics.join(", ")} (read more than once a minute) would publish`,
      `${count(saving.datumsPerMonth)} fewer datums and ${count(saving.requestsPerMonth)} fewer requests a month: ${dollars(saving.usdPerMonth)} less.`,
    );
  }
  return lines.join("\n") + "\n";
}
