/** The JSON Schema in schema/config.schema.json, read once, and its compiled ajv validator. */
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { RawConfig } from "./raw.js";

/** From dist/src/config/ (or src/config/) the schema folder is three levels up. */
export const SCHEMA_URL = new URL("../../../schema/config.schema.json", import.meta.url);

let schemaText: string | undefined;
let validator: ValidateFunction<RawConfig> | undefined;

export function configSchemaText(): string {
  schemaText ??= readFileSync(SCHEMA_URL, "utf8");
  return schemaText;
}

export function configSchema(): Record<string, unknown> {
  return JSON.parse(configSchemaText()) as Record<string, unknown>;
}

let sharedSchema: Readonly<Record<string, unknown>> | undefined;

/** The parsed schema, parsed once and shared: never modify it. */
export function sharedConfigSchema(): Readonly<Record<string, unknown>> {
  sharedSchema ??= configSchema();
  return sharedSchema;
}

/** The compiled validator; `allErrors` so one run reports every problem, `verbose` for data in errors. */
export function schemaValidator(): ValidateFunction<RawConfig> {
  if (validator === undefined) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      discriminator: true,
      strict: true,
      // A field that is a list or a map (prometheus `labels`): one error for a wrong type, not oneOf's two.
      allowUnionTypes: true,
    });
    // Our own annotation: the sentence an error on this keyword's schema should say instead of ajv's.
    ajv.addKeyword({ keyword: "x-message", schemaType: "string" });
    validator = ajv.compile<RawConfig>(configSchema());
  }
  return validator;
}
