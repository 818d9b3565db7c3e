/**
 * What a log line may say of what a source saw: an excerpt of a command's stderr, of a response body,
 * a URL, an error message. Secrets are replaced by [redacted]: the exact values given (what `${VAR}`
 * put into a source, header values, a URL's password and query values), and anything shaped like a
 * credential (a Bearer token, an Authorization or X-Api-Key value, a `token=` parameter, a URL's userinfo).
 */
export const REDACTED = "[redacted]";

/** Values shorter than this are too common to hide without hiding ordinary words ("1", "dev", "on"). */
export const MIN_SECRET_LENGTH = 4;

const CREDENTIAL_SHAPES: readonly [RegExp, string][] = [
  // scheme://user:password@host → scheme://[redacted]@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, `$1${REDACTED}@`],
  // ?token=abc&x=y → ?token=[redacted]&x=[redacted]: a query string is hidden value by value
  [/([?&;])([^=&\s#"'<>]+)=([^&\s#"'<>]*)/g, `$1$2=${REDACTED}`],
  // Authorization: Bearer abc, "x-api-key":"abc", cookie=abc
  [
    /\b(authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|auth-token|cookie|set-cookie|password|passwd|secret|token)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|digest|token)\s+)?[^\s"',;&]+/gi,
    `$1$2${REDACTED}`,
  ],
  // A scheme and credentials anywhere else: Bearer abc, Basic dXNlcjpwYXNz (base64, not a word)
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
  // (case-sensitive, to tell base64 from a word: it has a digit, + / =, or a capital after a small letter)
  [
    /\b(basic|Basic|BASIC)\s+(?=[A-Za-z0-9+/]*(?:[0-9+/=]|[a-z][A-Z]))[A-Za-z0-9+/]{8,}={0,2}/g,
    `$1 ${REDACTED}`,
  ],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class Redactor {
  private readonly values: readonly string[];
  private readonly exact: RegExp | undefined;

  /** `secrets`: values to hide wherever they appear, also in their URL-encoded spelling. */
  constructor(secrets: Iterable<string> = []) {
    const spellings = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      spellings.add(secret);
      spellings.add(encodeURIComponent(secret));
    }
    // Longest first, so that a secret containing another is hidden whole.
    this.values = [...spellings].sort((a, b) => b.length - a.length);
    this.exact =
      this.values.length === 0 ? undefined : new RegExp(this.values.map(escapeRegExp).join("|"), "g");
  }

  /** A redactor that also hides `more`. */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.values, ...more]);
  }

  redact(text: string): string {
    let out = this.exact === undefined ? text : text.replace(this.exact, REDACTED);
    for (const [shape, replacement] of CREDENTIAL_SHAPES) out = out.replace(shape, replacement);
    return out;
  }
}

/** A URL as logs show it: no user or password, and a query string only as `?[redacted]`. */
export function urlForLogs(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new Redactor().redact(url);
  }
  const query = parsed.search === "" ? "" : `?${REDACTED}`;
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}
