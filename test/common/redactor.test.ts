/** What the Redactor hides, and what it leaves for the reader. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Redactor, urlForLogs } from "../../src/common/redactor.js";

describe("Redactor", () => {
  const redactor = new Redactor(["s3cr3t-value", "ab"]);
  const cases: [string, string][] = [
    ["login failed for s3cr3t-value", "login failed for [redacted]"],
    ["encoded: s3cr3t%20value", "encoded: s3cr3t%20value"],
    ["too short to hide: ab", "too short to hide: ab"],
    ["GET /stats?token=abc&v=2 failed", "GET /stats?token=[redacted]&v=[redacted] failed"],
    ["proxy at http://user:pw@proxy:3128 refused", "proxy at http://[redacted]@proxy:3128 refused"],
    ["Authorization: Bearer abc.def", "Authorization: [redacted]"],
    ['{"x-api-key":"k-123"}', '{"x-api-key":"[redacted]"}'],
    ["sent Bearer eyJhbGciOi", "sent Bearer [redacted]"],
    ["header Basic dXNlcjpwYXNz", "header Basic [redacted]"],
    ["Basic usage: tool --help", "Basic usage: tool --help"],
    [
      "ls: cannot access '/data/inbox': No such file or directory",
      "ls: cannot access '/data/inbox': No such file or directory",
    ],
  ];
  for (const [input, expected] of cases) it(input, () => assert.equal(redactor.redact(input), expected));

  it("hides a secret in its URL-encoded spelling too", () => {
    assert.equal(new Redactor(["a b&c"]).redact("sent a%20b%26c"), "sent [redacted]");
  });
});

describe("urlForLogs", () => {
  it("drops the user and password and hides the query", () => {
    assert.equal(
      urlForLogs("https://me:pw@stats.example:8443/q?token=abc#top"),
      "https://stats.example:8443/q?[redacted]",
    );
    assert.equal(urlForLogs("http://stats:8080/metrics"), "http://stats:8080/metrics");
  });
});
