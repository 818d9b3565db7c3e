/**
 * An HTTP GET: a 2xx response's body is the value, or the number a JSONPath selects in its JSON.
 * What it logs keeps secrets in: the URL is shown without its user, password or query string, and a
 * body only as a short excerpt with header values, credentials and the config's secrets replaced.
 * Redirects are followed by hand, so that the headers of the config (an X-Api-Key, say) are sent
 * only to the origin they were written for, as fetch already does for Authorization.
 */
import { JSONPath } from "jsonpath-plus";
import { Redactor, urlForLogs } from "../common/redactor.js";
import { sample, wholeNumber } from "./number.js";
import { abortedWording, SourceError, type ValueSource } from "./types.js";

/** A larger body is refused: a metrics endpoint answers in kilobytes. */
export const MAX_HTTP_BODY_BYTES = 1024 * 1024;
/** More redirects than this end the read, as fetch's own limit (20) would, only sooner. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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

export function httpSource(
  url: string,
  jsonPath: string | undefined,
  headers: Readonly<Record<string, string>>,
  configSecrets: Redactor = new Redactor(),
): ValueSource {
  const prepared = request(url, headers);
  const redactor = configSecrets.with(prepared.secrets);
  const shown = redactor.redact(urlForLogs(url));
  const origin = new URL(prepared.target).origin;

  /** Follows redirects itself: the config's headers go only to the URL's own origin. */
  async function get(signal: AbortSignal): Promise<Response> {
    let current = prepared.target;
    let sent: Record<string, string> = prepared.headers;
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(current, { headers: sent, signal, redirect: "manual" });
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (redirects === MAX_REDIRECTS)
        throw new SourceError(`GET ${shown}: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, current);
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        throw new SourceError(`GET ${shown}: redirected to a ${next.protocol} URL, which is not followed`);
      }
      if (next.origin !== origin) sent = {};
      current = next.href;
    }
  }

  function numberAt(body: string): number {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch (cause) {
      throw new SourceError(`GET ${shown} did not return JSON (got ${sample(redactor.redact(body))})`, {
        cause,
      });
    }
    const matches = JSONPath<unknown[]>({ path: jsonPath!, json: document as object, wrap: true });
    if (matches.length === 0) throw new SourceError(`${shown}: JSONPath ${jsonPath!} matched nothing`);
    const found = matches[0];
    if (typeof found === "number") return found;
    if (typeof found === "string" && wholeNumber(found) !== undefined) return Number(found);
    throw new SourceError(
      `${shown}: JSONPath ${jsonPath!} found ${sample(redactor.redact(JSON.stringify(found)))}, not a number`,
    );
  }

  return {
    async read(signal) {
      let response: Response;
      try {
        response = await get(signal);
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
        throw new SourceError(
          `GET ${shown} answered HTTP ${response.status} (${sample(redactor.redact(body))})`,
        );
      if (jsonPath !== undefined) return numberAt(body);
      const value = wholeNumber(body);
      if (value === undefined)
        throw new SourceError(
          `GET ${shown}: body is not a number (got ${sample(redactor.redact(body))}); set jsonPath to pick one out of JSON`,
        );
      return value;
    },
  };
}
