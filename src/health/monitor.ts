/**
 * Reports the running process's health every few seconds: to the status file (for the container's
 * HEALTHCHECK) and, when a port is set, over HTTP: /healthz (alive) and /readyz (delivering).
 */
import { createServer, type Server } from "node:http";
import type { Logger } from "../log.js";
import type { PipelineSnapshot } from "../pipeline/snapshot.js";
import { assessHealth, type HealthStatus } from "./assess.js";
import { writeStatusFile } from "./status-file.js";

export const BEAT_INTERVAL_MS = 5_000;
/**
 * The health endpoint serves probes, which open a connection, ask, and go. More connections than
 * this at once are refused, and one that sends nothing for HEALTH_IDLE_TIMEOUT_MS is closed, so
 * idle or slow clients cannot exhaust the process's descriptors.
 */
export const MAX_HEALTH_CONNECTIONS = 32;
export const HEALTH_IDLE_TIMEOUT_MS = 5_000;

/** The health port cannot be listened on; the message says why and what to do. */
export class HealthPortError extends Error {
  override name = "HealthPortError";
  constructor(port: number, cause: NodeJS.ErrnoException) {
    const why =
      cause.code === "EADDRINUSE"
        ? `port ${port} is already in use by another process; set another health.port (or HEALTH_PORT), or stop what listens there`
        : cause.code === "EACCES"
          ? `port ${port} needs privileges this process lacks (ports below 1024 do, for a non-root user); choose a port of 1024 or more`
          : `cannot listen on port ${port}: ${cause.message}`;
    super(`health endpoint: ${why}`, { cause });
  }
}

export interface HealthSource {
  snapshot(): PipelineSnapshot;
  readonly credentialsFailing: boolean;
  readonly schedulerRunning: boolean;
  readonly schedulerOverdueMs: number;
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

  /**
   * Binds the health port, if one is set: before anything is read, so that a port another process
   * holds fails the start with nothing collected. Rejects with a HealthPortError.
   */
  async listen(): Promise<void> {
    const port = this.options.port;
    if (port === undefined) return;
    this.server = createServer(
      {
        // Slowloris: the whole request must arrive in time, and the checks for it run every second.
        headersTimeout: HEALTH_IDLE_TIMEOUT_MS,
        requestTimeout: HEALTH_IDLE_TIMEOUT_MS,
        keepAliveTimeout: HEALTH_IDLE_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      (req, res) => {
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
      },
    );
    this.server.maxConnections = MAX_HEALTH_CONNECTIONS;
    // A connection that says nothing (no request, or an idle keep-alive) is closed.
    this.server.setTimeout(HEALTH_IDLE_TIMEOUT_MS);
    try {
      await new Promise<void>((resolve, reject) => {
        this.server!.once("error", reject);
        this.server!.listen(port, () => {
          resolve();
        });
      });
    } catch (error) {
      this.server = undefined;
      throw new HealthPortError(port, error as NodeJS.ErrnoException);
    }
    this.server.unref();
    this.options.logger.info(`health endpoint listening on port ${port}: /healthz and /readyz`);
  }

  /** Starts reporting: the status file now and every BEAT_INTERVAL_MS (the endpoint answers once listening). */
  start(): void {
    this.beat();
    this.timer = setInterval(() => {
      this.beat();
    }, BEAT_INTERVAL_MS);
    this.timer.unref();
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
      schedulerOverdueMs: source.schedulerOverdueMs,
      credentialsFailing: source.credentialsFailing,
      oldestUndeliveredAgeMs: counters.oldestUndeliveredAgeMs,
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
