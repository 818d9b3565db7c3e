/**
 * A local Prometheus exporter for tests: a real HTTP server on 127.0.0.1 serving whatever body the
 * test sets (or computes per request), counting the scrapes it answered.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class Exporter {
  /** Scrapes answered, in order, with the body each got. */
  readonly answered: string[] = [];
  private body: (scrape: number) => string = () => "";
  private status = 200;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Exporter> {
    const server = createServer();
    const exporter = new Exporter(server);
    server.on("request", (request, response) => {
      request.resume();
      const body = exporter.body(exporter.answered.length + 1);
      exporter.answered.push(body);
      response.writeHead(exporter.status, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return exporter;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/metrics`;
  }

  /** What the next scrapes get: a fixed text, or a function of the scrape's number (1, 2, ...). */
  serve(body: string | ((scrape: number) => string), status = 200): void {
    this.body = typeof body === "string" ? () => body : body;
    this.status = status;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
