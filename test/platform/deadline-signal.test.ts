/** The one deadline of a resolution and the waits that honour it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { abortReason, deadlineSignal, pause, unlessAborted } from "../../src/platform/deadline-signal.js";

const never = new Promise<string>(() => undefined);

describe("deadlineSignal", () => {
  it("aborts at its deadline, saying so", async () => {
    const deadline = deadlineSignal(20);
    const outcome = await unlessAborted(never, deadline.signal, (reason) => reason);
    assert.equal(outcome, "gave up at the 20 ms deadline");
    deadline.dispose();
  });

  it("aborts with its parent, already aborted or later", () => {
    const parent = new AbortController();
    const deadline = deadlineSignal(60_000, parent.signal);
    assert.equal(deadline.signal.aborted, false);
    parent.abort();
    assert.equal(abortReason(deadline.signal), "cancelled");
    deadline.dispose();
    const late = deadlineSignal(60_000, parent.signal);
    assert.equal(abortReason(late.signal), "cancelled");
    late.dispose();
  });

  it("once disposed, never fires", async () => {
    const deadline = deadlineSignal(10);
    deadline.dispose();
    await pause(30, new AbortController().signal);
    assert.equal(deadline.signal.aborted, false);
  });
});

describe("pause and unlessAborted", () => {
  it("a pause ends early, rejecting, when the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = pause(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await assert.rejects(waiting, { message: "stop" });
  });

  it("an already aborted signal answers at once, and the work's later failure is not left unhandled", async () => {
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    const failing = new Promise<string>((_, reject) => setTimeout(() => reject(new Error("late")), 5));
    assert.equal(await unlessAborted(failing, controller.signal, (reason) => reason), "shutting down");
    await pause(20, new AbortController().signal); // an unhandled rejection would fail the run here
  });

  it("the work's own result or failure wins when it comes first", async () => {
    const signal = new AbortController().signal;
    assert.equal(await unlessAborted(Promise.resolve("done"), signal, () => "aborted"), "done");
    await assert.rejects(
      unlessAborted(Promise.reject(new Error("boom")), signal, () => "aborted"),
      { message: "boom" },
    );
  });
});
