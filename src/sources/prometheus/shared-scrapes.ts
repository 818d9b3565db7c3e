/**
 * One scrape per endpoint per tick: the metrics that read the same URL with the same headers at the
 * same scheduled instant share one request and one parse. Each reader waits on its own signal (its
 * metric's timeout); the request is aborted only when every reader waiting on it has given up. A
 * failed scrape rejects every reader with the same error object, which the scheduler logs once.
 */
import type { HttpGet } from "../http-get.js";
import { abortedWording, SharedSourceError, SourceError } from "../types.js";
import type { MetricFamily } from "./metric-family.js";
import { scrape } from "./scrape.js";

type Families = readonly MetricFamily[];

interface Shared {
  readonly scheduledAt: number;
  readonly controller: AbortController;
  readonly result: Promise<Families>;
  /** Readers still waiting for the result. */
  waiting: number;
  /** The metrics that joined, for the failure's wording. */
  readonly readers: string[];
  /** The one error every reader of a failed scrape gets (so it is logged once). */
  failure: SharedSourceError | undefined;
  /** The one error every reader that timed out gets. */
  timedOut: SharedSourceError | undefined;
}

export class SharedScrapes {
  /** The latest scrape of each endpoint (URL and headers): one entry per endpoint, replaced each tick. */
  private readonly latest = new Map<string, Shared>();

  /** The families at `scheduledAt`: the scrape another metric already started for that instant, or a new one. */
  families(
    http: HttpGet,
    key: string,
    scheduledAt: number,
    signal: AbortSignal,
    reader = "",
  ): Promise<Families> {
    let shared = this.latest.get(key);
    if (shared === undefined || shared.scheduledAt !== scheduledAt || shared.controller.signal.aborted) {
      const controller = new AbortController();
      shared = {
        scheduledAt,
        controller,
        result: scrape(http, controller.signal),
        waiting: 0,
        readers: [],
        failure: undefined,
        timedOut: undefined,
      };
      shared.result.catch(() => undefined); // every reader handles it; none may be left when it fails
      this.latest.set(key, shared);
    }
    return this.join(shared, http, signal, reader);
  }

  private join(shared: Shared, http: HttpGet, signal: AbortSignal, name: string): Promise<Families> {
    const reader = shared;
    reader.readers.push(name);
    reader.waiting++;
    return new Promise<Families>((resolve, reject) => {
      let left = false;
      const leave = () => {
        signal.removeEventListener("abort", onAbort);
        if (!left) reader.waiting--;
        left = true;
      };
      const onAbort = () => {
        leave();
        if (reader.waiting === 0) reader.controller.abort(signal.reason);
        // Said once, at the first reader's timeout; the others count theirs when their own runs out.
        reader.timedOut ??= new SharedSourceError(
          `GET ${http.shown} ${abortedWording(signal)}${sharedBy(reader, "when its own timeout runs out")}`,
        );
        reject(reader.timedOut);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      reader.result.then(
        (families) => {
          leave();
          resolve(families);
        },
        (error: unknown) => {
          leave();
          if (!(error instanceof SourceError)) {
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          reader.failure ??= new SharedSourceError(`${error.message}${sharedBy(reader)}`, { cause: error });
          reject(reader.failure);
        },
      );
    });
  }
}

function sharedBy({ readers }: Shared, when?: string): string {
  if (readers.length < 2) return "";
  const named = readers.every((name) => name !== "") ? `: ${readers.map((n) => `"${n}"`).join(", ")}` : "";
  return ` (one scrape shared by ${readers.length} metrics${named}; each counts a failed read${when === undefined ? "" : ` ${when}`})`;
}
