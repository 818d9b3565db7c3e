/**
 * A configured metric as the agent runs it: its source, built once, and its series identity. A reload
 * keeps the objects of unchanged metrics, so their source (and whatever state it holds) and their
 * place in the schedule carry on; added and changed metrics get new ones.
 */
import type { Environment } from "../environment.js";
import type { Config, MetricConfig } from "../config/types.js";
import { metricKey, type ReloadPlan } from "../config/reload-plan.js";
import { metricIdentity, type MetricIdentity } from "../cloudwatch/datum.js";
import type { SharedScrapes } from "../sources/prometheus/shared-scrapes.js";
import type { CounterBaselines } from "../sources/types.js";
import { Redactor } from "../common/redactor.js";
import type { ScheduledMetric } from "../schedule/scheduler.js";
import { createSource } from "../sources/registry.js";

import type { SeriesSource } from "./series.js";

export type AgentMetric = ScheduledMetric & SeriesSource;

/** What the metrics of one pipeline share: the scrapes of a tick, and where counter baselines are kept. */
export interface SharedBySources {
  readonly scrapes: SharedScrapes;
  baselinesFor(identity: MetricIdentity): CounterBaselines;
}

function agentMetric(
  metric: MetricConfig,
  env: Environment,
  redactor: Redactor,
  shared: SharedBySources,
): AgentMetric {
  const identity = metricIdentity(metric);
  const context = { scrapes: shared.scrapes, baselines: shared.baselinesFor(identity), metric: metric.name };
  return {
    config: metric,
    source: createSource(metric.source, env, redactor, context),
    runOnStart: metric.runOnStart,
    identity,
  };
}

export function agentMetrics(config: Config, env: Environment, shared: SharedBySources): AgentMetric[] {
  const redactor = new Redactor(config.secrets);
  return config.metrics.map((metric) => agentMetric(metric, env, redactor, shared));
}

/** The metrics after a reload: the running objects of unchanged ones, new ones for added and changed. */
export function reloadedMetrics(
  running: readonly AgentMetric[],
  plan: ReloadPlan,
  config: Config,
  env: Environment,
  shared: SharedBySources,
): AgentMetric[] {
  const byKey = new Map(running.map((metric) => [metricKey(metric.config), metric]));
  const kept = new Map(plan.unchanged.map(({ before, after }) => [after, byKey.get(metricKey(before))]));
  const redactor = new Redactor(config.secrets);
  return config.metrics.map((metric) => kept.get(metric) ?? agentMetric(metric, env, redactor, shared));
}
