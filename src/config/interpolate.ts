/**
 * `${VAR}`, `${VAR:-default}` (default when unset or empty) and `${VAR-default}` (default when unset)
 * in string values, replaced from the environment; `$${` is a literal `${`. Platform placeholders
 * (`${aws:InstanceId}`, config/placeholders.ts) are replaced in the same pass.
 */
import type { Environment } from "../environment.js";
import { substitutePlaceholder, type PlaceholderUse, type PlatformValues } from "./placeholders.js";

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/s;

/**
 * `references`: each variable (and each placeholder read from the platform) the text used, with the
 * value it had (the values may be secrets). `placeholders`: the platform placeholders it holds.
 */
export type Interpolation =
  | {
      ok: true;
      value: string;
      references: readonly VariableReference[];
      placeholders: readonly PlaceholderUse[];
    }
  | { ok: false; message: string };

export interface VariableReference {
  readonly name: string;
  readonly value: string;
}

/** `platform`: the values read at start; without it each placeholder stands for a typical value. */
export function interpolate(text: string, env: Environment, platform?: PlatformValues): Interpolation {
  if (!text.includes("${")) return { ok: true, value: text, references: [], placeholders: [] };
  let failure: string | undefined;
  const references: VariableReference[] = [];
  const placeholders: PlaceholderUse[] = [];
  const value = text.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === "$${") return "${";
    if (body === undefined) {
      failure ??= `"\${" has no closing "}"; write "$\${" for a literal "\${"`;
      return match;
    }
    const parts = BODY.exec(body);
    const placeholder = parts === null ? substitutePlaceholder(body, platform) : undefined;
    if (placeholder !== undefined) {
      if (!placeholder.ok) {
        failure ??= placeholder.message;
        return match;
      }
      placeholders.push(placeholder.use);
      if (placeholder.resolved) references.push({ name: placeholder.use.name, value: placeholder.value });
      return placeholder.value;
    }
    if (parts === null) {
      failure ??= `"\${${body}}" is not a variable reference; use \${NAME} or \${NAME:-default}`;
      return match;
    }
    const [, name, operator, fallback] = parts as unknown as [string, string, string | undefined, string];
    const current = env[name];
    if (operator === ":-" && (current === undefined || current === "")) return fallback;
    if (operator === "-" && current === undefined) return fallback;
    if (current === undefined) {
      failure ??= `environment variable ${name} is not set; set it, or give a default: \${${name}:-value}`;
      return match;
    }
    references.push({ name, value: current });
    return current;
  });
  return failure === undefined
    ? { ok: true, value, references, placeholders }
    : { ok: false, message: failure };
}

const NUMBER = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/**
 * What an unquoted value made by substitution becomes: the type the schema wants there, when the
 * text spells one (`storageResolution: ${RES:-60}` is the number 60), else the text itself. A place
 * that takes text keeps it as text, so `Host: ${HOSTNAME}` with HOSTNAME=007 is "007", not 7. A
 * quoted value is never passed here: it always stays text.
 */
export function typedSubstitution(text: string, wanted: ReadonlySet<string>): string | number | boolean {
  if (wanted.size === 0 || wanted.has("string")) return text;
  if ((wanted.has("number") || wanted.has("integer")) && NUMBER.test(text)) return Number(text);
  if (wanted.has("boolean") && (text === "true" || text === "false")) return text === "true";
  return text;
}
