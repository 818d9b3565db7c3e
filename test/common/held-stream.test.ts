import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { heldStream } from "../../src/common/held-stream.js";

const write = (stream: NodeJS.WritableStream, text: string) =>
  new Promise<void>((resolve) => stream.write(text, () => resolve()));

describe("heldStream", () => {
  it("holds what is written until routed, then sends it and the rest in order; the first route wins", async () => {
    const held = heldStream();
    await write(held.stream, "one\n");
    await write(held.stream, "two\n");
    const first: string[] = [];
    const second: string[] = [];
    held.route((text) => first.push(text));
    held.route((text) => second.push(text));
    await write(held.stream, "three\n");
    assert.deepEqual(first, ["one\n", "two\n", "three\n"]);
    assert.deepEqual(second, []);
  });
});
