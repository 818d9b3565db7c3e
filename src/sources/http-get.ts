/**
 * One HTTP GET as the sources make it: the http source and the prometheus scrape share it, so a body
 * cap, a redirect rule or a secret kept out of the log holds for both. What it logs keeps secrets in:
 * the URL is shown without its user, password or query string, and a body only as a short excerpt
 * with header values, credentials and the config's secrets replaced. Redirects are followed by hand,
 * so that the headers of the config (an X-Api-Key, say) are sent only to the origin they were
 * written for, as fetch already does for Authorization.
 */
import { Redactor, urlForLogs } from "../common/redactor.js";
import { sample } from "./number.js";
import { abortedWording, SourceError } from "./types.js";

/** A larger body is refused while it streams: a metrics endpoint answers in kilobytes. */
export const MAX_HTTP_BODY_BYTES = 1024 * 1024;
/** More redirects than this end the read, as fetch's own limit (20) would, only sooner. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A 2xx answer's body. Anything else is a SourceError. */
export interface HttpAnswer {
  readonly body: string;
  readonly contentType: string;
}

/** The body as text, refusing more than MAX_HTTP_BODY_BYTES whether or not a length was declared. */
async function readCapped(response: Response, shown: string): Promise<string> {
  const tooLarge = () =>
    new SourceError(`GET ${shown}: the body is over the ${MAX_HTTP_BODY_BYTES}-byte limit`);
  if (Number(response.headers.get("content-length") ?? "0") > MAX_HTTP_BODY_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_HTTP_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The URL fetch is given, and the headers: a user and password in the URL become an Authorization
 * header (fetch refuses such URLs), unless the config sets one itself.
 */
function request(
  url: string,
  headers: Readonly<Record<string, string>>,
): { target: string; headers: Record<string, string>; secrets: string[] } {
  const parsed = new URL(url);
  const secrets = [...Object.values(headers), ...[...parsed.searchParams.values()]];
  const sent: Record<string, string> = { ...headers };
  if (parsed.username === "" && parsed.password === "") return { target: url, headers: sent, secrets };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const basic = Buffer.from(`${user}:${password}`).toString("base64");
  secrets.push(user, password, basic);
  if (!Object.keys(sent).some((name) => name.toLowerCase() === "authorization")) {
    sent.Authorization = `Basic ${basic}`;
  }
  parsed.username = "";
  parsed.password = "";
  return { target: parsed.href, headers: sent, secrets };
}

/** A prepared GET of one URL: `get` may be called at every read. */
export class HttpGet {
  /** The URL as log lines show it (no credentials, no query values, no secrets). */
  readonly shown: string;
  /** Hides the config's secrets, the URL's credentials and query values and the header values. */
  readonly redactor: Redactor;
  private readonly target: string;
  private readonly headers: Record<string, string>;
  private readonly origin: string;

  /**
   * `defaults`: headers sent unless the config's `headers` set the same name (in any case), such as
   * the prometheus scrape's Accept.
   */
  constructor(
    url: string,
    headers: Readonly<Record<string, string>>,
    configSecrets: Redactor = new Redactor(),
    defaults: Readonly<Record<string, string>> = {},
  ) {
    const prepared = request(url, headers);
    this.redactor = configSecrets.with(prepared.secrets);
    this.shown = this.redactor.redact(urlForLogs(url));
    this.target = prepared.target;
    const given = new Set(Object.keys(prepared.headers).map((name) => name.toLowerCase()));
    const added = Object.entries(defaults).filter(([name]) => !given.has(name.toLowerCase()));
    this.headers = { ...Object.fromEntries(added), ...prepared.headers };
    this.origin = new URL(prepared.target).origin;
  }

  /** The body of a 2xx answer; a SourceError naming the URL and what went wrong otherwise. */
  async get(signal: AbortSignal): Promise<HttpAnswer> {
    const { shown, redactor } = this;
    let response: Response;
    try {
      response = await this.follow(signal);
    } catch (cause) {
      if (cause instanceof SourceError) throw cause;
      if (signal.aborted) throw new SourceError(`GET ${shown} ${abortedWording(signal)}`, { cause });
      const reason = (cause as Error & { cause?: Error }).cause?.message ?? (cause as Error).message;
      throw new SourceError(`GET ${shown} failed: ${redactor.redact(reason)}`, { cause });
    }
    let body: string;
    try {
      body = await readCapped(response, shown);
    } catch (cause) {
      if (cause instanceof SourceError) throw cause;
      const reason = signal.aborted
        ? `${abortedWording(signal)} while reading the body`
        : `reading the body failed: ${redactor.redact((cause as Error).message)}`;
      throw new SourceError(`GET ${shown} ${reason}`, { cause });
    }
    if (!response.ok)
      throw new SourceError(`GET ${shown} answered HTTP ${response.status} (${this.excerpt(body)})`);
    return { body, contentType: response.headers.get("content-type") ?? "" };
  }

  /** A short excerpt of a body for an error message, with every secret replaced. */
  excerpt(body: string): string {
    return sample(this.redactor.redact(body));
  }

  /** Follows redirects itself: the config's headers go only to the URL's own origin. */
  private async follow(signal: AbortSignal): Promise<Response> {
    let current = this.target;
    let sent: Record<string, string> = this.headers;
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(current, { headers: sent, signal, redirect: "manual" });
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (redirects === MAX_REDIRECTS)
        throw new SourceError(`GET ${this.shown}: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, current);
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        throw new SourceError(
          `GET ${this.shown}: redirected to a ${next.protocol} URL, which is not followed`,
        );
      }
      if (next.origin !== this.origin) sent = {};
      current = next.href;
    }
  }
}
