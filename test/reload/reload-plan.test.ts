/** planReload on configs built from real YAML: what is added, removed, changed, kept, and refused. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfigText } from "../../src/config/load.js";
import { describeReload, planReload } from "../../src/config/reload-plan.js";
import type { Config } from "../../src/config/types.js";

function config(yaml: string): Config {
  const result = loadConfigText(yaml, "config.yaml", {});
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const names = (metrics: readonly { name: string }[]) => metrics.map((m) => m.name);

const BEFORE = config(`
defaults: { namespace: MyApp, dimensions: { Host: web-1 } }
delivery: { outboxDir: /var/lib/cwp, retryMaxDelay: 5m }
metrics:
  - { name: kept, source: { type: constant, value: 1 } }
  - { name: moved, source: { type: constant, value: 2 } }
  - { name: rescheduled, schedule: "* * * * *", source: { type: constant, value: 3 } }
  - { name: gone, source: { type: constant, value: 4 } }
  - { name: per-host, dimensions: { Host: web-2 }, source: { type: constant, value: 5 } }
`);

describe("planReload", () => {
  it("sorts metrics into added, removed, changed and unchanged by namespace, name and dimensions", () => {
    const after = config(`
defaults: { namespace: MyApp, dimensions: { Host: web-1 } }
delivery: { outboxDir: /var/lib/cwp, retryMaxDelay: 5m }
metrics:
  - { name: moved, source: { type: constant, value: 2 } }
  - { name: kept, source: { type: constant, value: 1 } }
  - { name: rescheduled, schedule: "*/5 * * * *", unit: Seconds, source: { type: constant, value: 3 } }
  - { name: per-host, dimensions: { Host: web-3 }, source: { type: constant, value: 5 } }
  - { name: new, source: { type: env, variable: X } }
`);
    const plan = planReload(BEFORE, after);
    assert.deepEqual(names(plan.added), ["per-host", "new"], "other dimension values: another series");
    assert.deepEqual(names(plan.removed), ["gone", "per-host"]);
    assert.deepEqual(
      plan.changed.map((c) => [c.after.name, c.fields]),
      [["rescheduled", ["schedule", "unit"]]],
    );
    assert.deepEqual(
      plan.unchanged.map((u) => [u.after.name, u.before.index, u.after.index]),
      [
        ["moved", 1, 0],
        ["kept", 0, 1],
      ],
      "a metric that only moved in the file is unchanged",
    );
    assert.deepEqual(plan.refusals, []);
    assert.deepEqual(plan.settings, []);
    assert.equal(
      describeReload(plan),
      "2 added (MyApp/per-host{Host=web-3}, MyApp/new{Host=web-1}); " +
        "2 removed (MyApp/gone{Host=web-1}, MyApp/per-host{Host=web-2}); " +
        "1 changed (MyApp/rescheduled{Host=web-1}: schedule, unit); 2 unchanged",
    );
  });

  it("sees a change inside the source, and none when dimensions are written in another order", () => {
    const before = config(`
metrics:
  - { name: a, namespace: N, dimensions: { A: "1", B: "2" }, source: { type: http, url: "http://x/a", headers: { K: v } } }
`);
    const after = config(`
metrics:
  - { name: a, namespace: N, dimensions: { B: "2", A: "1" }, source: { type: http, url: "http://x/a", headers: { K: w } } }
`);
    const plan = planReload(before, after);
    assert.deepEqual(
      plan.changed.map((c) => c.fields),
      [["source"]],
    );
    assert.equal(planReload(before, before).unchanged.length, 1);
  });

  it("refuses a new outbox directory, with the reason", () => {
    const after = config(`
delivery: { outboxDir: /elsewhere, retryMaxDelay: 5m }
metrics: [{ name: kept, namespace: MyApp, dimensions: { Host: web-1 }, source: { type: constant, value: 1 } }]
`);
    const plan = planReload(BEFORE, after);
    assert.deepEqual(plan.refusals, [
      'delivery.outboxDir changed from "/var/lib/cwp" to "/elsewhere"; it cannot change while running: restart to apply it',
    ]);
    const dropped = config(
      `metrics: [{ name: kept, namespace: MyApp, source: { type: constant, value: 1 } }]`,
    );
    assert.match(planReload(BEFORE, dropped).refusals[0]!, /from "\/var\/lib\/cwp" to \(unset\)/);
  });

  it("refuses a changed output (a setting the config will gain), and lists other settings that changed", () => {
    const withOutput = (output: unknown): Config => ({ ...BEFORE, output }) as Config;
    const plan = planReload(withOutput({ type: "cloudwatch" }), withOutput({ type: "emf", path: "stdout" }));
    assert.deepEqual(plan.refusals, [
      'output changed from {"type":"cloudwatch"} to {"path":"stdout","type":"emf"}; it cannot change while running: restart to apply it',
    ]);
    const after = config(`
defaults: { namespace: MyApp, dimensions: { Host: web-1 } }
delivery: { outboxDir: /var/lib/cwp, retryMaxDelay: 1m }
health: { port: 8080 }
metrics:
  - { name: kept, source: { type: constant, value: 1 } }
`);
    const settings = planReload(BEFORE, after);
    assert.deepEqual(settings.refusals, []);
    assert.deepEqual(settings.settings, ["delivery.retryMaxDelayMs", "health.port"]);
    assert.match(
      describeReload(settings),
      /settings changed: delivery.retryMaxDelayMs, health.port; 1 unchanged$/,
    );
  });
});
