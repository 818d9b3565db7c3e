/** A kept label taking more than MAX_LABEL_VALUES values is warned about once per family and label. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LabelNotes, MAX_LABEL_VALUES } from "../../../src/sources/prometheus/label-notes.js";

function observeValues(growth: LabelNotes, family: string, label: string, count: number): string[] {
  const notes: string[] = [];
  for (let i = 0; i < count; i++) notes.push(...growth.observe(family, [[label, `v${i}`]]));
  return notes;
}

describe("LabelNotes", () => {
  it("says nothing up to MAX_LABEL_VALUES values, however often they are seen", () => {
    const growth = new LabelNotes();
    assert.deepEqual(observeValues(growth, "f", "path", MAX_LABEL_VALUES), []);
    assert.deepEqual(observeValues(growth, "f", "path", MAX_LABEL_VALUES), []);
  });

  it("warns once, naming the family and the label, at the value past the limit", () => {
    const growth = new LabelNotes();
    const notes = observeValues(growth, "http_requests_total", "path", MAX_LABEL_VALUES + 50);
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /label "path" of family "http_requests_total" has taken more than 100 values/);
    assert.deepEqual(observeValues(growth, "http_requests_total", "path", 300), []);
  });

  it("counts each family and label on its own", () => {
    const growth = new LabelNotes();
    const notes = [
      ...observeValues(growth, "a", "path", MAX_LABEL_VALUES + 1),
      ...observeValues(growth, "b", "path", MAX_LABEL_VALUES + 1),
      ...observeValues(growth, "a", "client", MAX_LABEL_VALUES),
    ];
    assert.equal(notes.length, 2);
    assert.match(notes[0]!, /"path" of family "a"/);
    assert.match(notes[1]!, /"path" of family "b"/);
  });

  it("counts the values of each label of a series", () => {
    const growth = new LabelNotes();
    const notes: string[] = [];
    for (let i = 0; i <= MAX_LABEL_VALUES; i++)
      notes.push(
        ...growth.observe("f", [
          ["method", "GET"],
          ["id", String(i)],
        ]),
      );
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /label "id"/);
  });
});
