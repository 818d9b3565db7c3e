/**
 * `${aws:Name}` and `${ecs:Name}` in config strings, beside `${VAR}`, with the same default syntax
 * (`${aws:InstanceId:-on-prem}`). Parsing and naming only: the values are read from the platform once
 * at start (platform/at-start.ts) and handed in as `PlatformValues`. Without them (validate-config, and
 * the first pass at start that finds which names are used), each placeholder stands for a typical value
 * of its kind, so the rules on namespaces and dimension values are checked with no network at all.
 */
import { closest } from "../common/suggest.js";
import { isPlaceholderName, PLACEHOLDER_NAMES, type PlaceholderName } from "../platform/placeholders.js";

/** The values resolved at start: each name that could be read, and its value. */
export type PlatformValues = ReadonlyMap<PlaceholderName, string>;

/** One use of a placeholder in the config. */
export interface PlaceholderUse {
  readonly name: PlaceholderName;
  /** The default written after `:-` or `-`, if any. */
  readonly fallback: string | undefined;
}

/** What a placeholder stands for when no values are given: a value of its kind, valid wherever it fits. */
const STAND_IN: Readonly<Record<PlaceholderName, string>> = {
  "aws:InstanceId": "i-0123456789abcdef0",
  "aws:InstanceType": "m7g.large",
  "aws:ImageId": "ami-0123456789abcdef0",
  "aws:Region": "us-east-1",
  "aws:AvailabilityZone": "us-east-1a",
  "aws:AccountId": "123456789012",
  "aws:Hostname": "ip-10-0-0-1.ec2.internal",
  "aws:AutoScalingGroupName": "example-asg",
  "ecs:ClusterName": "example-cluster",
  "ecs:TaskId": "0123456789abcdef0123456789abcdef",
  "ecs:TaskFamily": "example-family",
  "ecs:TaskRevision": "1",
  "ecs:ServiceName": "example-service",
  "ecs:ContainerName": "example-container",
  "ecs:AvailabilityZone": "us-east-1a",
  "ecs:LaunchType": "FARGATE",
};

/** `prefix:Name`, then an optional `:-default` or `-default`. */
const BODY = /^([A-Za-z][A-Za-z0-9]*):([A-Za-z][A-Za-z0-9]*)?(?:(:?-)(.*))?$/s;

export type PlaceholderResult =
  | { readonly ok: true; readonly value: string; readonly use: PlaceholderUse; readonly resolved: boolean }
  | { readonly ok: false; readonly message: string };

function unknownName(written: string, prefix: string): string {
  const suggestion = closest(written, PLACEHOLDER_NAMES);
  const hint =
    suggestion !== undefined
      ? `did you mean \${${suggestion}}?`
      : PLACEHOLDER_NAMES.some((name) => name.startsWith(`${prefix}:`))
        ? `the ${prefix}: placeholders are ${PLACEHOLDER_NAMES.filter((n) => n.startsWith(`${prefix}:`))
            .map((n) => `\${${n}}`)
            .join(", ")}`
        : "placeholders begin with aws: or ecs:; for an environment variable write ${NAME}";
  return `"\${${written}}" is not a known placeholder; ${hint}`;
}

/**
 * The value of a `${...}` body that is a placeholder, or undefined when the body is not one (then it is
 * a variable reference, or malformed). `platform` undefined: the stand-in value (no network).
 */
export function substitutePlaceholder(
  body: string,
  platform: PlatformValues | undefined,
): PlaceholderResult | undefined {
  const parts = BODY.exec(body);
  if (parts === null) return undefined;
  const [, prefix, rest, operator, fallback] = parts as unknown as [
    string,
    string,
    string | undefined,
    string?,
    string?,
  ];
  const written = `${prefix}:${rest ?? ""}`;
  if (!isPlaceholderName(written)) return { ok: false, message: unknownName(written, prefix) };
  const use: PlaceholderUse = { name: written, fallback: operator === undefined ? undefined : fallback };
  if (platform === undefined) return { ok: true, value: STAND_IN[written], use, resolved: false };
  const value = platform.get(written);
  if (value !== undefined) return { ok: true, value, use, resolved: true };
  if (use.fallback !== undefined) return { ok: true, value: use.fallback, use, resolved: false };
  return {
    ok: false,
    message: `\${${written}} could not be read from the platform; give it a default: \${${written}:-value}`,
  };
}
