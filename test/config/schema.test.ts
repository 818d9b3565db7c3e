/** The schema's own rules: every property described, no unknown keys anywhere, README in step. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { configSchema } from "../../src/config/schema.js";
import { schemaTable } from "../../src/config/schema-table.js";
import { UNITS } from "../../src/cloudwatch/units.js";
import { REPO_ROOT } from "../support/cli.js";

type Node = Record<string, unknown>;

function objectSchemas(node: unknown, path: string, out: [string, Node][]): void {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    node.forEach((child, i) => objectSchemas(child, `${path}/${i}`, out));
    return;
  }
  const record = node as Node;
  if (record.type === "object") out.push([path, record]);
  for (const [key, child] of Object.entries(record)) objectSchemas(child, `${path}/${key}`, out);
}

describe("schema/config.schema.json", () => {
  const schema = configSchema();
  const objects: [string, Node][] = [];
  objectSchemas(schema, "#", objects);

  it("is draft 2020-12", () => assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema"));

  it("closes every object: additionalProperties false, or a typed map of values", () => {
    for (const [path, node] of objects) {
      const extra = node.additionalProperties;
      const isMap = typeof extra === "object" && extra !== null;
      const isDiscriminated = Array.isArray(node.oneOf); // each branch is closed
      assert.ok(extra === false || isMap || isDiscriminated, `${path} leaves additionalProperties open`);
    }
  });

  it("describes every property", () => {
    const defs = schema.$defs as Record<string, Node>;
    for (const [path, node] of objects) {
      for (const [name, property] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
        const ref = property.$ref;
        const target = typeof ref === "string" ? defs[ref.replace("#/$defs/", "")] : property;
        assert.ok(
          typeof target?.description === "string" && target.description.length > 0,
          `${path}.${name}`,
        );
      }
    }
  });

  it("lists exactly CloudWatch's 27 units", () => {
    const units = ((schema.$defs as Record<string, Node>).unit!.enum as string[]).slice();
    assert.equal(units.length, 27);
    assert.deepEqual(units, [...UNITS]);
  });

  it("is described in the README by the table print-schema --format markdown generates", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    assert.ok(
      readme.includes(schemaTable(schema)),
      "README.md's field table is out of date: run `node dist/src/cli.js print-schema --format markdown` and paste it",
    );
  });
});
