/**
 * The baseline: a bare @aws-sdk/client-cloudwatch loop that sends N datums every second in
 * 1000-datum PutMetricData requests, nothing else. Usage: node bare-sdk.js N SECONDS
 * (endpoint and credentials from the environment, as for the publisher).
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";

const perSecond = Number(process.argv[2]);
const seconds = Number(process.argv[3]);
const client = new CloudWatchClient({ maxAttempts: 3, retryMode: "adaptive" });

async function tick(at: Date): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (let start = 0; start < perSecond; start += 1000) {
    const data: MetricDatum[] = [];
    for (let i = start; i < Math.min(start + 1000, perSecond); i++) {
      data.push({ MetricName: `M${i}`, Value: i, Unit: "Count", Timestamp: at, StorageResolution: 60 });
    }
    sends.push(client.send(new PutMetricDataCommand({ Namespace: "Bench/Bare", MetricData: data })));
  }
  await Promise.all(sends);
}

const end = Date.now() + seconds * 1000;
let next = Math.ceil(Date.now() / 1000) * 1000;
while (next < end) {
  await new Promise((resolve) => setTimeout(resolve, next - Date.now()));
  await tick(new Date(next));
  next += 1000;
}
client.destroy();
