/**
 * Reports the running process's health every few seconds: to the status file (for the container's
 * HEALTHCHECK) and, when a port is set, over HTTP: /healthz (alive) and /readyz (delivering).
 */
import { createServer, type Server } from "node:http";
import type { Logger } from "../log.js";
import { assessHealth, type HealthStatus } from "./assess.js";
import { writeStatusFile } from "./status-file.js";

export const BEAT_INTERVAL_MS = 5_000;

export interface HealthSource {
  snapshot(): Record<string, unknown>;
  readonly credentialsFailing: boolean;
  readonly schedulerRunning: boolean;
}

export interface HealthMonitorOptions {
  readonly source: HealthSource;
  readonly logger: Logger;
  readonly statusFile: string;
  readonly port: number | undefined;
  readonly maxUndeliveredAgeMs: number;
  readonly now?: () => number;
}

export class HealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private server: Server | undefined;
  private beatAt = 0;
  private fileFailed = false;
  private readonly now: () => number;

  constructor(private readonly options: HealthMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.beat();
    this.timer = setInterval(() => {
      this.beat();
    }, BEAT_INTERVAL_MS);
    this.timer.unref();
    const port = this.options.port;
    if (port === undefined) return;
    this.server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET" || (path !== "/healthz" && path !== "/readyz")) {
        res
          .writeHead(404, { "content-type": "application/json" })
          .end('{"error":"not found: use /healthz or /readyz"}');
        return;
      }
      const status = this.status();
      const verdict = assessHealth(status, this.now());
      const ok = path === "/healthz" ? verdict.alive : verdict.ready;
      res
        .writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify({ ...verdict, ...status }));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, () => {
        resolve();
      });
    });
    this.server.unref();
    this.options.logger.info(`health endpoint listening on port ${port}: /healthz and /readyz`);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.server !== undefined) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) =>
        this.server!.close(() => {
          resolve();
        }),
      );
    }
  }

  status(): HealthStatus {
    const { source, maxUndeliveredAgeMs } = this.options;
    const counters = source.snapshot();
    return {
      pid: process.pid,
      beatAt: this.beatAt,
      schedulerRunning: source.schedulerRunning,
      credentialsFailing: source.credentialsFailing,
      oldestUndeliveredAgeMs: Number(counters.oldestUndeliveredAgeMs ?? 0),
      maxUndeliveredAgeMs,
      counters,
    };
  }

  private beat(): void {
    this.beatAt = this.now();
    try {
      writeStatusFile(this.options.statusFile, this.status());
      this.fileFailed = false;
    } catch (error) {
      if (!this.fileFailed) {
        this.fileFailed = true;
        this.options.logger.warn(
          `cannot write the health status file ${this.options.statusFile} (${(error as Error).message}); the healthcheck command will report unhealthy. With a read-only root file system, mount a tmpfs on /tmp or set HEALTH_FILE`,
        );
      }
    }
  }
}
