/**
 * `{ type: http }`: a 2xx response's body is the value, or the number a JSONPath selects in its JSON.
 * The GET itself (redirects, the body cap, secrets kept out of the log) is http-get.ts.
 */
import { JSONPath } from "jsonpath-plus";
import { Redactor } from "../common/redactor.js";
import { HttpGet } from "./http-get.js";
import { wholeNumber } from "./number.js";
import { SourceError, type ValueSource } from "./types.js";

export { MAX_HTTP_BODY_BYTES, MAX_REDIRECTS } from "./http-get.js";

export function httpSource(
  url: string,
  jsonPath: string | undefined,
  headers: Readonly<Record<string, string>>,
  configSecrets: Redactor = new Redactor(),
): ValueSource {
  const http = new HttpGet(url, headers, configSecrets);
  const { shown } = http;

  function numberAt(body: string): number {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch (cause) {
      throw new SourceError(`GET ${shown} did not return JSON (got ${http.excerpt(body)})`, { cause });
    }
    const matches = JSONPath<unknown[]>({ path: jsonPath!, json: document as object, wrap: true });
    if (matches.length === 0) throw new SourceError(`${shown}: JSONPath ${jsonPath!} matched nothing`);
    const found = matches[0];
    if (typeof found === "number") return found;
    if (typeof found === "string" && wholeNumber(found) !== undefined) return Number(found);
    throw new SourceError(
      `${shown}: JSONPath ${jsonPath!} found ${http.excerpt(JSON.stringify(found))}, not a number`,
    );
  }

  return {
    async read(signal) {
      const { body } = await http.get(signal);
      if (jsonPath !== undefined) return numberAt(body);
      const value = wholeNumber(body);
      if (value === undefined)
        throw new SourceError(
          `GET ${shown}: body is not a number (got ${http.excerpt(body)}); set jsonPath to pick one out of JSON`,
        );
      return value;
    },
  };
}
