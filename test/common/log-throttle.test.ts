import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LogThrottle } from "../../src/common/log-throttle.js";

describe("LogThrottle", () => {
  it("passes the first line per key, holds the rest for a minute, then reports how many were held", () => {
    let now = 0;
    const throttle = new LogThrottle<string>(() => now);
    assert.equal(throttle.pass("a"), 0);
    assert.equal(throttle.pass("b"), 0, "keys are independent");
    now = 1_000;
    assert.equal(throttle.pass("a"), undefined);
    now = 59_999;
    assert.equal(throttle.pass("a"), undefined);
    now = 60_000;
    assert.equal(throttle.pass("a"), 2);
    assert.equal(throttle.pass("a"), undefined);
    now = 200_000;
    assert.equal(throttle.pass("a"), 1);
    assert.equal(throttle.pass("b"), 0);
  });

  it("does not stay quiet for long when the clock goes back", () => {
    let now = 100_000;
    const throttle = new LogThrottle<string>(() => now);
    assert.equal(throttle.pass("a"), 0);
    now = 10_000;
    assert.equal(throttle.pass("a"), 0);
  });
});
