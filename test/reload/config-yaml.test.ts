/** CONFIG_YAML: read from the environment, loaded like a file, its errors located as $CONFIG_YAML:LINE:COL. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CONFIG_YAML_ORIGIN, configYamlFromEnv } from "../../src/config/config-yaml.js";
import { formatConfigError } from "../../src/config/issue.js";
import { loadConfigText } from "../../src/config/load.js";
import { MAX_CONFIG_BYTES } from "../../src/config/read-config-file.js";

describe("configYamlFromEnv", () => {
  it("is absent when unset or empty, so the next source is used", () => {
    assert.deepEqual(configYamlFromEnv({}), { present: false });
    assert.deepEqual(configYamlFromEnv({ CONFIG_YAML: "" }), { present: false });
  });

  it("gives the text with the origin $CONFIG_YAML, which loads like a file (with ${VAR} substitution)", () => {
    const env = {
      CONFIG_YAML: 'metrics:\n  - { name: Up, namespace: "${NS}", source: { type: constant, value: 1 } }\n',
      NS: "MyApp",
    };
    const yaml = configYamlFromEnv(env);
    assert.ok(yaml.present && yaml.ok);
    assert.equal(yaml.origin, "$CONFIG_YAML");
    const loaded = loadConfigText(yaml.text, yaml.origin, env);
    assert.ok(loaded.ok);
    assert.equal(loaded.config.origin, CONFIG_YAML_ORIGIN);
    assert.equal(loaded.config.metrics[0]!.namespace, "MyApp");
  });

  it("locates errors as $CONFIG_YAML:LINE:COL", () => {
    const env = {
      CONFIG_YAML:
        "metrics:\n  - name: Up\n    namespace: MyApp\n    unit: count\n    source: { type: constant, value: 1 }\n",
    };
    const yaml = configYamlFromEnv(env);
    assert.ok(yaml.present && yaml.ok);
    const loaded = loadConfigText(yaml.text, yaml.origin, env);
    assert.ok(!loaded.ok);
    assert.match(
      formatConfigError(loaded.errors[0]!),
      /^\$CONFIG_YAML:4:11: metrics\[0\]\.unit: .*did you mean "Count"/,
    );
  });

  it("refuses more than a config file may hold, counting UTF-8 bytes", () => {
    const fits = "#".repeat(MAX_CONFIG_BYTES);
    assert.ok(configYamlFromEnv({ CONFIG_YAML: fits }).present);
    const over = `${"#".repeat(MAX_CONFIG_BYTES - 1)}é`;
    const yaml = configYamlFromEnv({ CONFIG_YAML: over });
    assert.ok(yaml.present && !yaml.ok);
    assert.equal(
      formatConfigError(yaml.error),
      `$CONFIG_YAML: holds ${MAX_CONFIG_BYTES + 1} bytes; a config may have at most ${MAX_CONFIG_BYTES} (4 MiB); split the metrics over several publishers`,
    );
  });
});
