/** Source config → the ValueSource that reads it: the one place that knows every kind. */
import type { Environment } from "../environment.js";
import type { SourceConfig } from "../config/types.js";
import { commandSource } from "./command.js";
import { constantSource } from "./constant.js";
import { envSource } from "./env.js";
import { fileSource } from "./file.js";
import { httpSource } from "./http.js";
import { prometheusSource, type PrometheusContext } from "./prometheus/prometheus-source.js";
import { systemSource } from "./system-source.js";
import type { ValueSource } from "./types.js";
import { Redactor } from "../common/redactor.js";

/**
 * `redactor` hides the config's secrets from what sources put in their errors; `shared` is what the
 * pipeline shares between its metrics (the scrapes of a tick, the counter baselines).
 */
export function createSource(
  config: SourceConfig,
  env: Environment,
  redactor = new Redactor(),
  shared?: PrometheusContext,
): ValueSource {
  switch (config.type) {
    case "constant":
      return constantSource(config.value);
    case "env":
      return envSource(config.variable, env);
    case "command":
      return commandSource(config.command, redactor);
    case "file":
      return fileSource(config.path, { allowSpecialFile: config.allowSpecialFile, redactor });
    case "http":
      return httpSource(config.url, config.jsonPath, config.headers, redactor);
    case "system":
      return systemSource(config, env);
    case "prometheus":
      return prometheusSource(config, redactor, shared);
  }
}
