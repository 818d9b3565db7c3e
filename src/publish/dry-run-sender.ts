/** --dry-run: each request that would be sent, printed as one line of JSON; nothing leaves the machine. */
import type { Datum } from "../cloudwatch/datum.js";
import { toPutMetricDataInput } from "../cloudwatch/request.js";
import type { Sender } from "./sender.js";

export function createDryRunSender(write: (line: string) => void): Sender {
  return {
    send(namespace: string, datums: readonly Datum[]) {
      write(`${JSON.stringify(toPutMetricDataInput(namespace, datums))}\n`);
      return Promise.resolve({ ok: true });
    },
    close() {},
  };
}
