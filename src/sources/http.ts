/** An HTTP GET: a 2xx response's body is the value, or the number a JSONPath selects in its JSON. */
import { JSONPath } from "jsonpath-plus";
import { sample, wholeNumber } from "./number.js";
import { abortedWording, SourceError, type ValueSource } from "./types.js";

/** A larger body is refused: a metrics endpoint answers in kilobytes. */
export const MAX_HTTP_BODY_BYTES = 1024 * 1024;

/** The body as text, refusing more than MAX_HTTP_BODY_BYTES whether or not a length was declared. */
async function readCapped(response: Response, url: string): Promise<string> {
  const tooLarge = () =>
    new SourceError(`GET ${url}: the body is over the ${MAX_HTTP_BODY_BYTES}-byte limit`);
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

function numberAt(body: string, jsonPath: string, url: string): number {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (cause) {
    throw new SourceError(`${url} did not return JSON (got ${sample(body)})`, { cause });
  }
  const matches = JSONPath<unknown[]>({ path: jsonPath, json: document as object, wrap: true });
  if (matches.length === 0) throw new SourceError(`${url}: JSONPath ${jsonPath} matched nothing`);
  const found = matches[0];
  if (typeof found === "number") return found;
  if (typeof found === "string" && wholeNumber(found) !== undefined) return Number(found);
  throw new SourceError(`${url}: JSONPath ${jsonPath} found ${sample(JSON.stringify(found))}, not a number`);
}

export function httpSource(
  url: string,
  jsonPath: string | undefined,
  headers: Readonly<Record<string, string>>,
): ValueSource {
  return {
    async read(signal) {
      let response: Response;
      try {
        response = await fetch(url, { headers, signal, redirect: "follow" });
      } catch (cause) {
        if (signal.aborted) throw new SourceError(`GET ${url} ${abortedWording(signal)}`, { cause });
        const reason = (cause as Error & { cause?: Error }).cause?.message ?? (cause as Error).message;
        throw new SourceError(`GET ${url} failed: ${reason}`, { cause });
      }
      let body: string;
      try {
        body = await readCapped(response, url);
      } catch (cause) {
        if (cause instanceof SourceError) throw cause;
        const reason = signal.aborted
          ? `${abortedWording(signal)} while reading the body`
          : `reading the body failed: ${(cause as Error).message}`;
        throw new SourceError(`GET ${url} ${reason}`, { cause });
      }
      if (!response.ok)
        throw new SourceError(`GET ${url} answered HTTP ${response.status} (${sample(body)})`);
      if (jsonPath !== undefined) return numberAt(body, jsonPath, url);
      const value = wholeNumber(body);
      if (value === undefined)
        throw new SourceError(
          `GET ${url}: body is not a number (got ${sample(body)}); set jsonPath to pick one out of JSON`,
        );
      return value;
    },
  };
}
