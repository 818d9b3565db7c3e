/** --dry-run: each request that would be sent, printed as one line of JSON; nothing leaves the machine. */
import type { Entity } from "@aws-sdk/client-cloudwatch";
import type { Datum } from "../cloudwatch/datum.js";
import { toPutMetricDataInput } from "../cloudwatch/request.js";
import type { Sender } from "./sender.js";

/** `entity`: the entity each request would carry (EntityMetricData), as the real sender sends it. */
export function createDryRunSender(write: (line: string) => void, entity?: Entity): Sender {
  return {
    send(namespace: string, datums: readonly Datum[]) {
      write(`${JSON.stringify(toPutMetricDataInput(namespace, datums, entity))}\n`);
      return Promise.resolve({ ok: true });
    },
    close() {},
  };
}
