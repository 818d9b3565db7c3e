/**
 * A local exporter for the prometheus source's tests: a real HTTP server on 127.0.0.1 that answers
 * each request as the test says (a body, a status, a body streamed in generated chunks, or nothing
 * until released), counts requests, and tells when a request was cut off by the client.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { PrometheusOptions } from "../../../src/config/prometheus-options.js";
import { listenOnLoopback } from "../../support/loopback-server.js";

export type Answer =
  | { readonly kind: "body"; readonly body: string; readonly status?: number; readonly contentType?: string }
  /** `chunks` copies of `chunk`, generated as the socket drains (never the whole body in memory). */
  | {
      readonly kind: "stream";
      readonly chunk: Buffer;
      readonly chunks: number;
      readonly contentLength?: number;
    }
  /** Headers and `start` of the body, then nothing until `release` sends `body` (or the client gives up). */
  | { readonly kind: "hold"; readonly body: string; readonly start?: string };

export interface SeenRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Resolves when the request ends: "finished" (the whole answer sent) or "cut off" (the client closed first). */
  readonly ended: Promise<"finished" | "cut off">;
  /** Bytes of body written before the request ended. */
  readonly written: () => number;
}

export interface Exporter {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly requests: readonly SeenRequest[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>;
  /** Sends the held answers their bodies. */
  release(): void;
  close(): Promise<void>;
}

export async function startExporter(answer: (path: string, index: number) => Answer): Promise<Exporter> {
  const requests: SeenRequest[] = [];
  const held: (() => void)[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const arrived = () => {
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const server = createServer((req, res) => {
    req.resume();
    let written = 0;
    const ended = new Promise<"finished" | "cut off">((resolve) => {
      res.on("close", () => resolve(res.writableFinished ? "finished" : "cut off"));
    });
    requests.push({ path: req.url ?? "", headers: req.headers, ended, written: () => written });
    arrived();
    const reply = answer(req.url ?? "", requests.length - 1);
    if (reply.kind === "body") {
      res.writeHead(reply.status ?? 200, {
        "content-type": reply.contentType ?? "text/plain; version=0.0.4",
      });
      written = Buffer.byteLength(reply.body);
      res.end(reply.body);
    } else if (reply.kind === "hold") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      if (reply.start === undefined) res.flushHeaders();
      else {
        written = Buffer.byteLength(reply.start);
        res.write(reply.start);
      }
      held.push(() => {
        if (res.destroyed) return;
        written += Buffer.byteLength(reply.body);
        res.end(reply.body);
      });
    } else {
      const headers: Record<string, string | number> = { "content-type": "text/plain; version=0.0.4" };
      if (reply.contentLength !== undefined) headers["content-length"] = reply.contentLength;
      res.writeHead(200, headers);
      streamChunks(res, reply.chunk, reply.chunks, (n) => (written += n));
    }
  });
  const listening = await listenOnLoopback(server);
  return {
    origin: listening.origin,
    requests,
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    release: () => {
      for (const send of held.splice(0)) send();
    },
    close: () => listening.close(),
  };
}

/** Writes `count` copies of `chunk`, waiting for 'drain' whenever the socket's buffer is full. */
function streamChunks(res: ServerResponse, chunk: Buffer, count: number, wrote: (n: number) => void): void {
  let sent = 0;
  const more = () => {
    while (sent < count && !res.destroyed) {
      sent++;
      wrote(chunk.byteLength);
      if (!res.write(chunk)) {
        res.once("drain", more);
        return;
      }
    }
    if (sent === count && !res.destroyed) res.end();
  };
  more();
}

/** A prometheus metric's options as the config builds them, with what a test sets. */
export function prometheusOptions(
  url: string,
  metric: string,
  more: Partial<PrometheusOptions> = {},
): PrometheusOptions {
  const options: PrometheusOptions = {
    url,
    metric,
    labels: {},
    combine: undefined,
    match: {},
    headers: {},
    histogram: "upperBound",
    transform: "auto",
    ...more,
  };
  return options;
}
