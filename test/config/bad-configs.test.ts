/**
 * The corpus of bad configs: each must fail with exactly these lines (file:line:col: path: message).
 * A case's YAML is written as the user would; `$` is the line's start, for readability of positions.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatConfigError } from "../../src/config/issue.js";
import { loadConfigText } from "../../src/config/load.js";

interface BadCase {
  readonly name: string;
  readonly yaml: string;
  readonly env?: Record<string, string>;
  readonly errors: readonly string[];
}

const ok = "source: { type: constant, value: 1 }";

const CASES: readonly BadCase[] = [
  {
    name: "empty file",
    yaml: "",
    errors: ['c.yaml:1:1: (root): the file is empty; it needs at least a "metrics" list'],
  },
  {
    name: "only a comment",
    yaml: "# nothing here\n",
    errors: ['c.yaml:1:1: (root): the file is empty; it needs at least a "metrics" list'],
  },
  {
    name: "a list instead of a map",
    yaml: "- name: A\n- name: B\n",
    errors: ["c.yaml:1:1: (root): must be a map (key: value) (got a list)"],
  },
  {
    name: "a bare string",
    yaml: "hello\n",
    errors: ['c.yaml:1:1: (root): must be a map (key: value) (got "hello")'],
  },
  {
    name: "typo in the top-level key",
    yaml: `metric:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      'c.yaml:1:1: (root): missing required property "metrics"',
      'c.yaml:1:1: metric: unknown property "metric"; did you mean "metrics"?',
    ],
  },
  {
    name: "metrics is an empty list",
    yaml: "metrics: []\n",
    errors: ["c.yaml:1:10: metrics: must list at least one entry"],
  },
  {
    name: "metrics is a map",
    yaml: "metrics:\n  name: A\n",
    errors: ["c.yaml:2:3: metrics: must be a list (got a map)"],
  },
  {
    name: "unknown key in a metric, close to a real one",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    shedule: "* * * * *"\n    ${ok}\n`,
    errors: ['c.yaml:4:5: metrics[0].shedule: unknown property "shedule"; did you mean "schedule"?'],
  },
  {
    name: "unknown key with no close match lists the allowed ones",
    yaml: `defaults:\n  colour: blue\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      'c.yaml:2:3: defaults.colour: unknown property "colour"; allowed here: namespace, schedule, timezone, unit, storageResolution, timeout, dimensions, runOnStart, transform, aggregate, rollups',
    ],
  },
  {
    name: "swapped letters in name, which is then missing",
    yaml: `metrics:\n  - nmae: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      'c.yaml:2:5: metrics[0]: missing required property "name"',
      'c.yaml:2:5: metrics[0].nmae: unknown property "nmae"; did you mean "name"?',
    ],
  },
  {
    name: "missing source",
    yaml: "metrics:\n  - name: A\n    namespace: N\n",
    errors: ['c.yaml:2:5: metrics[0]: missing required property "source"'],
  },
  {
    name: "unknown source type",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: comand, command: [ls] }\n",
    errors: [
      'c.yaml:4:21: metrics[0].source.type: must be one of constant, env, command, file, http, system, prometheus (got "comand"); did you mean "command"?',
    ],
  },
  {
    name: "source without a type",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { value: 1 }\n",
    errors: ['c.yaml:4:13: metrics[0].source: missing required property "type"'],
  },
  {
    name: "wrong type for a URL",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source:\n      type: http\n      url: 8080\n",
    errors: ["c.yaml:6:12: metrics[0].source.url: must be an http:// or https:// URL (got number 8080)"],
  },
  {
    name: "URL without a scheme",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: http, url: app:8080/stats }\n",
    errors: ['c.yaml:4:32: metrics[0].source.url: must be an http:// or https:// URL (got "app:8080/stats")'],
  },
  {
    name: "a key of one source type under another",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: file, path: /x, jsonPath: $.a }\n",
    errors: [
      'c.yaml:4:37: metrics[0].source.jsonPath: unknown property "jsonPath"; allowed here: type, path, allowSpecialFile',
    ],
  },
  {
    name: "command as a string instead of an argv list",
    yaml: 'metrics:\n  - name: A\n    namespace: N\n    source: { type: command, command: "ls | wc -l" }\n',
    errors: ['c.yaml:4:39: metrics[0].source.command: must be a list (got "ls | wc -l")'],
  },
  {
    name: "empty command list",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: command, command: [] }\n",
    errors: ["c.yaml:4:39: metrics[0].source.command: must list at least one entry"],
  },
  {
    name: "constant value as a string",
    yaml: 'metrics:\n  - name: A\n    namespace: N\n    source: { type: constant, value: "one" }\n',
    errors: ['c.yaml:4:38: metrics[0].source.value: must be a number (got "one")'],
  },
  {
    name: "NaN constant",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: constant, value: .nan }\n",
    errors: ["c.yaml:4:38: metrics[0].source.value: must be a finite number (got .nan)"],
  },
  {
    name: "infinite scale",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    scale: -.inf\n    ${ok}\n`,
    errors: ["c.yaml:4:12: metrics[0].scale: must be a finite number (got -.inf)"],
  },
  {
    name: "value outside CloudWatch's range",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: constant, value: 1e200 }\n",
    errors: ["c.yaml:4:38: metrics[0].source.value: 1e+200 is outside CloudWatch's range of -2^360 to 2^360"],
  },
  {
    name: "AWS/ namespace",
    yaml: `defaults:\n  namespace: AWS/EC2\nmetrics:\n  - name: A\n    ${ok}\n`,
    errors: [
      'c.yaml:2:14: defaults.namespace: must not start with "AWS/" (reserved for AWS services) or ":"; use your own namespace such as "MyApp" (got "AWS/EC2")',
    ],
  },
  {
    name: "no namespace anywhere",
    yaml: `metrics:\n  - name: A\n    ${ok}\n`,
    errors: ['c.yaml:2:5: metrics[0]: metric "A" has no namespace; set "namespace" here or in "defaults"'],
  },
  {
    name: "name too long",
    yaml: `metrics:\n  - name: ${"x".repeat(256)}\n    namespace: N\n    ${ok}\n`,
    errors: ["c.yaml:2:11: metrics[0].name: must be at most 255 characters (got 256)"],
  },
  {
    name: "empty name",
    yaml: `metrics:\n  - name: ""\n    namespace: N\n    ${ok}\n`,
    errors: ["c.yaml:2:11: metrics[0].name: must not be empty"],
  },
  {
    name: "unit in the wrong case",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    unit: count\n    ${ok}\n`,
    errors: [
      'c.yaml:4:11: metrics[0].unit: must be one of 27 allowed values (got "count"); did you mean "Count"?',
    ],
  },
  {
    name: "storage resolution not 1 or 60",
    yaml: `defaults:\n  storageResolution: 30\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: ["c.yaml:2:22: defaults.storageResolution: must be one of 1, 60 (got number 30)"],
  },
  {
    name: "cron with 4 fields",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    schedule: "* * * *"\n    ${ok}\n`,
    errors: [
      "c.yaml:4:15: metrics[0].schedule: has 4 fields; a cron expression has 5 (minute hour day-of-month month day-of-week) or 6 (second first)",
    ],
  },
  {
    name: "cron with a value out of range",
    yaml: `defaults:\n  schedule: "61 * * * *"\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      "c.yaml:2:13: defaults.schedule: is not a valid cron expression: Constraint error, got value 61 expected range 0-59",
    ],
  },
  {
    name: "cron that never fires",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    schedule: "0 0 30 2 *"\n    ${ok}\n`,
    errors: [
      "c.yaml:4:15: metrics[0].schedule: is not a valid cron expression: Invalid explicit day of month definition",
    ],
  },
  {
    name: "unknown cron shorthand",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    schedule: "@fortnightly"\n    ${ok}\n`,
    errors: [
      'c.yaml:4:15: metrics[0].schedule: unknown shorthand "@fortnightly"; use one of @yearly, @annually, @monthly, @weekly, @daily, @hourly, @minutely, @secondly',
    ],
  },
  {
    name: "unknown time zone",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    timezone: Europe/Berlinn\n    ${ok}\n`,
    errors: [
      'c.yaml:4:15: metrics[0].timezone: unknown time zone "Europe/Berlinn"; use an IANA name such as "UTC" or "Europe/Berlin"',
    ],
  },
  {
    name: "timeout without a unit",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    timeout: 10\n    ${ok}\n`,
    errors: [
      'c.yaml:4:14: metrics[0].timeout: must be a duration such as "500ms", "10s", "2m" or "1h" (got number 10); write "10s"',
    ],
  },
  {
    name: "timeout with a space",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    timeout: 10 s\n    ${ok}\n`,
    errors: [
      'c.yaml:4:14: metrics[0].timeout: must be a duration such as "500ms", "10s", "2m" or "1h" (got "10 s")',
    ],
  },
  {
    name: "zero and overlong timeouts",
    yaml: `defaults:\n  timeout: 0s\nmetrics:\n  - name: A\n    namespace: N\n    timeout: 2h\n    ${ok}\n`,
    errors: [
      "c.yaml:2:12: defaults.timeout: must be longer than 0",
      "c.yaml:6:14: metrics[0].timeout: must be at most 1h (got 2h)",
    ],
  },
  {
    name: "31 dimensions in one metric",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    dimensions: {${Array.from({ length: 31 }, (_, i) => `D${i}: v`).join(", ")}}\n    ${ok}\n`,
    errors: [
      "c.yaml:4:17: metrics[0].dimensions: has 31 entries; at most 30 are allowed (CloudWatch's limit per metric)",
    ],
  },
  {
    name: "31 dimensions only after merging the defaults",
    yaml: `defaults:\n  dimensions: {${Array.from({ length: 20 }, (_, i) => `D${i}: v`).join(", ")}}\nmetrics:\n  - name: A\n    namespace: N\n    dimensions: {${Array.from({ length: 11 }, (_, i) => `E${i}: v`).join(", ")}}\n    ${ok}\n`,
    errors: [
      "c.yaml:6:17: metrics[0].dimensions: has 31 dimensions after merging defaults.dimensions; CloudWatch allows at most 30",
    ],
  },
  {
    name: "a number as a dimension value",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    dimensions: { Port: 8080 }\n    ${ok}\n`,
    errors: ['c.yaml:4:25: metrics[0].dimensions.Port: must be a string (got number 8080); quote it: "8080"'],
  },
  {
    name: "an empty dimension value (an empty variable)",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    dimensions: { Host: "\${HOST_NAME}" }\n    ${ok}\n`,
    env: { HOST_NAME: "" },
    errors: ["c.yaml:4:25: metrics[0].dimensions.Host: must not be empty"],
  },
  {
    name: "a dimension name starting with a colon",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    dimensions: { ":Host": a }\n    ${ok}\n`,
    errors: ['c.yaml:4:19: metrics[0].dimensions[":Host"]: name ":Host" must not start with ":"'],
  },
  {
    name: "unset environment variable",
    yaml: `defaults:\n  namespace: \${APP_NAMESPACE}\nmetrics:\n  - name: A\n    ${ok}\n`,
    errors: [
      "c.yaml:2:14: defaults.namespace: environment variable APP_NAMESPACE is not set; set it, or give a default: ${APP_NAMESPACE:-value}",
    ],
  },
  {
    name: "unterminated variable reference",
    yaml: `metrics:\n  - name: \${NAME\n    namespace: N\n    ${ok}\n`,
    errors: ['c.yaml:2:11: metrics[0].name: "${" has no closing "}"; write "$${" for a literal "${"'],
  },
  {
    name: "invalid variable name",
    yaml: `metrics:\n  - name: A\n    namespace: "\${1X}"\n    ${ok}\n`,
    errors: [
      'c.yaml:3:16: metrics[0].namespace: "${1X}" is not a variable reference; use ${NAME} or ${NAME:-default}',
    ],
  },
  {
    name: "env source with an invalid variable name",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: env, variable: QUEUE-DEPTH }\n",
    errors: [
      'c.yaml:4:36: metrics[0].source.variable: must be an environment variable name: letters, digits and _, not starting with a digit (got "QUEUE-DEPTH")',
    ],
  },
  {
    name: "two metrics publishing the same series",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    ${ok}\n  - name: A\n    namespace: N\n    source: { type: constant, value: 2 }\n`,
    errors: [
      'c.yaml:5:5: metrics[1]: publishes the same namespace, name and dimensions on the same schedule as metrics[0] ("A"); remove one or give them different dimensions',
    ],
  },
  {
    name: "delivery settings out of range",
    yaml: `delivery:\n  maxBufferedDatums: 0\n  retryBaseDelay: 10m\n  retryMaxDelay: 1m\n  fsync: yes please\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      "c.yaml:2:22: delivery.maxBufferedDatums: must be >= 1 (got number 0)",
      "c.yaml:3:19: delivery.retryBaseDelay: must not be longer than retryMaxDelay (60000 ms)",
      'c.yaml:5:10: delivery.fsync: must be true or false (got "yes please")',
    ],
  },
  {
    name: "unknown key in delivery",
    yaml: `delivery:\n  outbox: /var/lib/cwp\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: ['c.yaml:2:3: delivery.outbox: unknown property "outbox"; did you mean "outboxDir"?'],
  },
  {
    name: "unsupported version",
    yaml: `version: 2\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: ["c.yaml:1:10: version: must be 1 (got number 2)"],
  },
  {
    name: "YAML syntax error: bad indentation",
    yaml: "metrics:\n  - name: A\n   namespace: N\n",
    errors: ["c.yaml:3:1: (yaml): YAML syntax: Sequence item without - indicator"],
  },
  {
    name: "YAML syntax error: duplicate key",
    yaml: `metrics:\n  - name: A\n    name: B\n    namespace: N\n    ${ok}\n`,
    errors: ["c.yaml:3:5: (yaml): YAML syntax: Map keys must be unique"],
  },
  {
    name: "YAML syntax error: unclosed flow map",
    yaml: "metrics: [ { name: A\n",
    errors: [
      "c.yaml:2:1: (yaml): YAML syntax: Flow map in block collection must be sufficiently indented and end with a }",
      "c.yaml:2:1: (yaml): YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  },
  {
    name: "an unquoted cron expression: one line saying to quote it",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    schedule: */5 * * * *\n    ${ok}\n`,
    errors: [
      'c.yaml:4:15: metrics[0].schedule: quote it: "*/5 * * * *" (unquoted, YAML reads * as an alias)',
    ],
  },
  {
    name: "an unquoted every-minute cron in defaults, with another error still reported",
    yaml: `defaults:\n  schedule: * * * * * # every minute\n  unit: count\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      'c.yaml:2:13: defaults.schedule: quote it: "* * * * *" (unquoted, YAML reads * as an alias)',
      'c.yaml:3:9: defaults.unit: must be one of 27 allowed values (got "count"); did you mean "Count"?',
    ],
  },
  {
    name: "${VAR} unquoted in a flow map: the fix, and every other error still reported",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    unit: Bytez\n    source: { type: constant, value: ${X} }\n  - name: B\n    dimensions: { Host: web-${H}, Env: prod }\n    source: { type: file }\n",
    env: { X: "5", H: "1" },
    errors: [
      'c.yaml:4:11: metrics[0].unit: must be one of 27 allowed values (got "Bytez"); did you mean "Bytes"?',
      'c.yaml:5:38: metrics[0].source.value: quote it: "${X}" (YAML does not allow an unquoted ${ inside { } or [ ]); for a number, use the block form instead, one key per line',
      'c.yaml:6:5: metrics[1]: metric "B" has no namespace; set "namespace" here or in "defaults"',
      'c.yaml:7:25: metrics[1].dimensions.Host: quote it: "web-${H}" (YAML does not allow an unquoted ${ inside { } or [ ])',
      'c.yaml:8:13: metrics[1].source: missing required property "path"',
    ],
  },
  {
    name: "${VAR} quoted in a flow map and unquoted in block form are fine; a real YAML error is still one",
    yaml: 'metrics:\n  - name: A\n    namespace: "${NS}"\n    dimensions: { Host: "web-${H}" }\n    source: { type: constant, value: 1 }\n   bad: indent\n',
    env: { NS: "N", H: "1" },
    errors: ["c.yaml:6:1: (yaml): YAML syntax: Sequence item without - indicator"],
  },
  {
    name: "a timeout without a unit says which unit to add",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    timeout: 30\n    ${ok}\n`,
    errors: [
      'c.yaml:4:14: metrics[0].timeout: must be a duration such as "500ms", "10s", "2m" or "1h" (got number 30); write "30s"',
    ],
  },
  {
    name: "a quoted timeout without a unit",
    yaml: `defaults:\n  timeout: "30"\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      'c.yaml:2:12: defaults.timeout: must be a duration such as "500ms", "10s", "2m" or "1h" (got "30"); did you mean "30s"?',
    ],
  },
  {
    name: "numbers and booleans in quotes say the quotes are the problem",
    yaml: `health:\n  port: "8080"\nmetrics:\n  - name: A\n    namespace: N\n    storageResolution: "60"\n    runOnStart: "true"\n    source: { type: constant, value: "1.5" }\n`,
    errors: [
      'c.yaml:2:9: health.port: must be a whole number (got "8080"); write it without quotes: 8080',
      'c.yaml:6:24: metrics[0].storageResolution: must be one of 1, 60 (got "60"); write it without quotes: 60',
      'c.yaml:7:17: metrics[0].runOnStart: must be true or false (got "true"); write it without quotes: true',
      'c.yaml:8:38: metrics[0].source.value: must be a number (got "1.5"); write it without quotes: 1.5',
    ],
  },
  {
    name: "a minute step out of range",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    schedule: "*/61 * * * *"\n    ${ok}\n`,
    errors: [
      'c.yaml:4:15: metrics[0].schedule: the minute field "*/61" has a step of 61, out of range: it runs 0-59, so a step must be 1 to 59',
    ],
  },
  {
    name: "an hour step out of range",
    yaml: `defaults:\n  schedule: "0 */25 * * *"\nmetrics:\n  - name: A\n    namespace: N\n    ${ok}\n`,
    errors: [
      'c.yaml:2:13: defaults.schedule: the hour field "*/25" has a step of 25, out of range: it runs 0-23, so a step must be 1 to 23',
    ],
  },
  {
    name: "a seconds step out of range in a 6-field expression, and a day-of-week one",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    schedule: "10/60 * * * * *"\n    ${ok}\n  - name: B\n    namespace: N\n    schedule: "0 0 * * 1-5/7"\n    ${ok}\n`,
    errors: [
      'c.yaml:4:15: metrics[0].schedule: the second field "10/60" has a step of 60, out of range: it runs 0-59, so a step must be 1 to 59',
      'c.yaml:8:15: metrics[1].schedule: the day-of-week field "1-5/7" has a step of 7, out of range: it runs 0-7 (0 and 7 are Sunday), so a step must be 1 to 6',
    ],
  },
  {
    name: "a dimension value that is not ASCII",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    dimensions: { Host: "café" }\n    ${ok}\n`,
    errors: [
      "c.yaml:4:25: metrics[0].dimensions.Host: must contain only printable ASCII characters (found U+00E9 at character 4)",
    ],
  },
  {
    name: "a control character in a dimension name",
    yaml: `defaults:\n  namespace: N\n  dimensions: { "Zone\\u0007": a }\nmetrics:\n  - name: A\n    ${ok}\n`,
    errors: [
      'c.yaml:3:17: defaults.dimensions["Zone\\u0007"]: name "Zone\\u0007" must contain only printable ASCII characters (found the control character U+0007 at character 5)',
    ],
  },
  {
    name: "a blank dimension value",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    dimensions:\n      Host: "   "\n    ${ok}\n`,
    errors: [
      "c.yaml:5:13: metrics[0].dimensions.Host: must not be blank (it needs a character other than whitespace)",
    ],
  },
  {
    name: "a namespace with a control character",
    yaml: `defaults:\n  namespace: "My\\tApp"\nmetrics:\n  - name: A\n    ${ok}\n`,
    errors: [
      "c.yaml:2:14: defaults.namespace: must contain only printable ASCII characters (found the control character U+0009 at character 3)",
    ],
  },
  {
    name: "a namespace that is not ASCII",
    yaml: `metrics:\n  - name: A\n    namespace: Überwachung\n    ${ok}\n`,
    errors: [
      "c.yaml:3:16: metrics[0].namespace: must contain only printable ASCII characters (found U+00DC at character 1)",
    ],
  },
  {
    name: "a blank metric name",
    yaml: `metrics:\n  - name: " "\n    namespace: N\n    ${ok}\n`,
    errors: ["c.yaml:2:11: metrics[0].name: must not be blank (it needs a character other than whitespace)"],
  },
  {
    name: "a constant too close to 0",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    source: { type: constant, value: 1e-200 }\n`,
    errors: [
      "c.yaml:4:38: metrics[0].source.value: 1e-200 is too close to 0 for CloudWatch: other than 0 itself, a value needs a magnitude of at least 8.51592e-109",
    ],
  },
  {
    name: "a constant that scale makes too close to 0",
    yaml: `metrics:\n  - name: A\n    namespace: N\n    scale: 1e-60\n    source: { type: constant, value: 1e-60 }\n`,
    errors: [
      "c.yaml:5:38: metrics[0].source.value: 1e-120 is too close to 0 for CloudWatch: other than 0 itself, a value needs a magnitude of at least 8.51592e-109",
    ],
  },
  {
    name: "several errors in one file are all reported, in order",
    yaml: `defaults:\n  timezone: Nowhere/Town\nmetrics:\n  - name: A\n    namespace: N\n    unit: Bytez\n    ${ok}\n  - name: B\n    source: { type: file }\n`,
    errors: [
      'c.yaml:2:13: defaults.timezone: unknown time zone "Nowhere/Town"; use an IANA name such as "UTC" or "Europe/Berlin"',
      'c.yaml:6:11: metrics[0].unit: must be one of 27 allowed values (got "Bytez"); did you mean "Bytes"?',
      'c.yaml:8:5: metrics[1]: metric "B" has no namespace; set "namespace" here or in "defaults"',
      'c.yaml:9:13: metrics[1].source: missing required property "path"',
    ],
  },
  {
    name: "system: a metric name with a typo",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: system, metric: memory.utilisation }\n",
    errors: [
      'c.yaml:4:37: metrics[0].source.metric: "memory.utilisation" is not a system metric (did you mean "memory.utilization"?)',
    ],
  },
  {
    name: "system: options the metric does not take, an empty glob list, an unknown scope",
    yaml: "metrics:\n  - name: A\n    namespace: N\n    source: { type: system, metric: load.1, mounts: [/] }\n  - name: B\n    namespace: N\n    source: { type: system, metric: network.rx.bytes, interfaces: [] }\n  - name: C\n    namespace: N\n    source: { type: system, metric: uptime, scope: pod }\n",
    errors: [
      "c.yaml:4:13: metrics[0].source: mounts does not apply to load.1 (it takes only scope)",
      "c.yaml:7:13: metrics[1].source: interfaces is empty: leave it out to take the default, or list at least one glob",
      'c.yaml:10:52: metrics[2].source.scope: must be one of auto, host, container (got "pod")',
    ],
  },
  {
    name: "system: a dimension the series set, and too many once theirs are added",
    yaml: `defaults: { dimensions: { Interface: eth0 } }\nmetrics:\n  - name: A\n    namespace: N\n    source: { type: system, metric: network.rx.bytes }\n  - name: B\n    namespace: N\n    dimensions: { ${Array.from({ length: 29 }, (_, i) => `D${i}: x`).join(", ")} }\n    source: { type: system, metric: disk.used }\n`,
    errors: [
      'c.yaml:3:5: metrics[0].dimensions: sets dimension "Interface", which system network.rx.bytes sets on each of its series; remove it here (and from defaults.dimensions)',
      "c.yaml:8:17: metrics[1].dimensions: has 30 dimensions and system disk.used adds MountPath and Filesystem to each series: 32, where CloudWatch allows at most 30",
    ],
  },
  {
    name: "prometheus: names, a dimension the labels set, two labels as one dimension, le kept, a bad dimension name",
    yaml: `metrics:
  - name: A
    namespace: N
    dimensions: { StatusCode: x }
    source:
      type: prometheus
      url: "http://127.0.0.1:9090/metrics"
      metric: "9bad"
      labels: { code: StatusCode, le: Le, __name__: N, method: "Métode", x: StatusCode }
`,
    errors: [
      'c.yaml:4:17: metrics[0].dimensions: sets dimension "StatusCode", which this metric\'s kept labels set on each series; remove it here (and from defaults.dimensions), or rename the label in source.labels',
      'c.yaml:8:15: metrics[0].source.metric: "9bad" is not a Prometheus metric name (letters, digits, _ and :, not starting with a digit)',
      'c.yaml:9:15: metrics[0].source.labels: "__name__" is not a label name (letters, digits and _, not starting with a digit or __)',
      "c.yaml:9:15: metrics[0].source.labels: \"le\" is a histogram's bucket bound, not a label to keep: the buckets become the datum's Values",
      'c.yaml:9:15: metrics[0].source.labels: labels "code" and "x" both become dimension "StatusCode"',
      'c.yaml:9:64: metrics[0].source.labels.method: dimension name "Métode" must contain only printable ASCII characters (found U+00E9 at character 2)',
    ],
  },
  {
    name: "prometheus: a URL, combine, histogram and match of the wrong kind, too many dimensions",
    yaml: `metrics:
  - name: B
    namespace: N
    source: { type: prometheus, url: "http://a b", metric: up, combine: median, histogram: mid, match: { a: 1 } }
  - name: C
    namespace: N
    dimensions: { ${Array.from({ length: 29 }, (_, i) => `D${i}: x`).join(", ")} }
    source: { type: prometheus, url: "http://127.0.0.1:1/m", metric: up, labels: [a, b] }
`,
    errors: [
      'c.yaml:4:38: metrics[0].source.url: must be an http:// or https:// URL (got "http://a b")',
      'c.yaml:4:73: metrics[0].source.combine: must be one of sum, max, min, avg (got "median")',
      'c.yaml:4:92: metrics[0].source.histogram: must be one of upperBound, midpoint (got "mid"); did you mean "midpoint"?',
      "c.yaml:4:109: metrics[0].source.match.a: must be a string or a list (got number 1)",
      "c.yaml:8:82: metrics[1].source.labels: keeps 2 labels on top of 29 dimensions: 31, where CloudWatch allows at most 30",
    ],
  },
  {
    name: "output: a misspelled type or key is one error each, not a cascade over both kinds",
    yaml: "output: { type: emff }\nmetrics:\n  - { name: A, namespace: N, source: { type: constant, value: 1 } }\n",
    errors: ['c.yaml:1:17: output.type: must be one of cloudwatch, emf (got "emff"); did you mean "emf"?'],
  },
  {
    name: "output: emf with a misspelled path",
    yaml: "output: { type: emf, pth: stdout }\nmetrics:\n  - { name: A, namespace: N, source: { type: constant, value: 1 } }\n",
    errors: [
      'c.yaml:1:9: output: missing required property "path"',
      'c.yaml:1:22: output.pth: unknown property "pth"; did you mean "path"?',
    ],
  },
];

describe("bad configs", () => {
  it("has a corpus of at least 30 cases", () => {
    assert.ok(CASES.length >= 30, `only ${CASES.length} cases`);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const result = loadConfigText(c.yaml, "c.yaml", c.env ?? {});
      assert.ok(!result.ok, "the config was accepted");
      assert.deepEqual(result.errors.map(formatConfigError), c.errors);
    });
  }
});
