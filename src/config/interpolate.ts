/**
 * `${VAR}`, `${VAR:-default}` (default when unset or empty) and `${VAR-default}` (default when unset)
 * in string values, replaced from the environment; `$${` is a literal `${`.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/s;

export type Interpolation = { ok: true; value: string } | { ok: false; message: string };

export function interpolate(text: string, env: Environment): Interpolation {
  if (!text.includes("${")) return { ok: true, value: text };
  let failure: string | undefined;
  const value = text.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === "$${") return "${";
    if (body === undefined) {
      failure ??= `"\${" has no closing "}"; write "$\${" for a literal "\${"`;
      return match;
    }
    const parts = BODY.exec(body);
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
    return current;
  });
  return failure === undefined ? { ok: true, value } : { ok: false, message: failure };
}

const NUMBER = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/**
 * An unquoted YAML value that was made by substitution is typed as YAML would have typed the
 * text written there (`storageResolution: ${RES:-60}` is the number 60); a quoted one stays a string.
 */
export function retypePlain(value: string): string | number | boolean {
  if (NUMBER.test(value)) return Number(value);
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}
