/**
 * A real HTTP server on 127.0.0.1 for fakes of metadata endpoints: routes a request to a reply, records
 * every request, and can answer late, never, or fail its first requests with a 503.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** How the server answers: at once, after `delayMs`, or never (the connection stays open, silent). */
export type Answering =
  | { readonly kind: "prompt" }
  | { readonly kind: "slow"; readonly delayMs: number }
  | { readonly kind: "silent" };

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoopbackOptions {
  readonly answering?: Answering;
  /** The first `failFirst` requests are answered 503, as a service that is briefly unwell. */
  readonly failFirst?: number;
}

export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly requests: readonly SeenRequest[];
  close(): Promise<void>;
}

export async function startLoopbackServer(
  route: (request: SeenRequest) => Reply,
  options: LoopbackOptions = {},
): Promise<LoopbackServer> {
  const answering = options.answering ?? { kind: "prompt" };
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const seen = { method: req.method ?? "", path: req.url ?? "", headers: req.headers };
    requests.push(seen);
    req.resume();
    const reply: Reply =
      requests.length <= (options.failFirst ?? 0) ? { status: 503, body: "unavailable" } : route(seen);
    const send = () => {
      res.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
      res.end(reply.body);
    };
    if (answering.kind === "prompt") send();
    else if (answering.kind === "slow") {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, answering.delayMs);
      timers.add(timer);
    }
  });
  const listening = await listenOnLoopback(server);
  return {
    origin: listening.origin,
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await listening.close();
    },
  };
}

/** Starts `server` on 127.0.0.1 at a free port; `close` ends its open connections too. */
export async function listenOnLoopback(server: Server): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An origin nothing listens on: a server is started for a free port, then closed. */
export async function closedOrigin(): Promise<string> {
  const server = await startLoopbackServer(() => ({ status: 404, body: "" }));
  await server.close();
  return server.origin;
}
