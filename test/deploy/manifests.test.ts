/** The deployment examples: parsed for real, hardened as the README promises, their configs valid. */
/* eslint-disable @typescript-eslint/no-unsafe-member-access,
   @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call --
   manifests are untyped documents walked field by field; a missing field fails the assertion on it. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { heartbeatConfig } from "../../src/config/env.js";
import { formatConfigError } from "../../src/config/issue.js";
import { loadConfigText } from "../../src/config/load.js";
import { REPO_ROOT } from "../support/cli.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

const deploy = (file: string) => join(REPO_ROOT, "deploy", file);

function documents(file: string): Doc[] {
  return parseAllDocuments(readFileSync(deploy(file), "utf8")).map((d) => {
    assert.deepEqual(d.errors, [], `${file} parses`);
    return d.toJS() as Doc;
  });
}

/** The environment a container would see, with Kubernetes' $(VAR) references expanded. */
function containerEnv(container: Doc): Record<string, string> {
  const env: Record<string, string> = { NODE_NAME: "node-1" };
  for (const entry of container.env as Doc[]) {
    if (typeof entry.value === "string") {
      env[entry.name as string] = entry.value.replace(
        /\$\((\w+)\)/g,
        (_: string, name: string) => env[name] ?? "",
      );
    }
  }
  return env;
}

function assertHardened(pod: Doc, container: Doc, where: string): void {
  assert.equal(pod.securityContext.runAsNonRoot, true, `${where}: pod runAsNonRoot`);
  const sc = container.securityContext as Doc;
  assert.equal(sc.runAsNonRoot, true, `${where}: runAsNonRoot`);
  assert.equal(sc.runAsUser, 10001, `${where}: the image's UID`);
  assert.equal(sc.readOnlyRootFilesystem, true, `${where}: read-only root`);
  assert.equal(sc.allowPrivilegeEscalation, false, `${where}: no privilege escalation`);
  assert.deepEqual(sc.capabilities.drop, ["ALL"], `${where}: all capabilities dropped`);
  for (const kind of ["requests", "limits"]) {
    assert.ok(
      container.resources[kind].cpu && container.resources[kind].memory,
      `${where}: resources.${kind}`,
    );
  }
  const mounts = (container.volumeMounts as Doc[]).map((m) => m.mountPath);
  assert.ok(mounts.includes("/tmp"), `${where}: a writable /tmp for the health status file`);
  assert.ok(mounts.includes("/var/lib/cloudwatch-publisher"), `${where}: the outbox volume`);
}

function assertProbes(container: Doc, port: number, where: string): void {
  const ports = container.ports as Doc[];
  const health = ports.find((p) => p.name === "health")!;
  assert.equal(health.containerPort, port, `${where}: the probe port is the health port`);
  assert.equal(container.livenessProbe.httpGet.path, "/healthz");
  assert.equal(container.readinessProbe.httpGet.path, "/readyz");
  assert.equal(container.livenessProbe.httpGet.port, "health");
}

describe("deploy/kubernetes/deployment.yaml", () => {
  const [configMap, deployment] = documents("kubernetes/deployment.yaml");
  it("has a ConfigMap whose config passes validate-config", () => {
    assert.equal(configMap!.kind, "ConfigMap");
    const result = loadConfigText(configMap!.data["config.yaml"] as string, "configmap", {});
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    assert.equal(result.config.health.port, 8080);
    assert.equal(result.config.delivery.outboxDir, "/var/lib/cloudwatch-publisher");
  });
  it("is hardened, sized and probed on the config's health port", () => {
    assert.equal(deployment!.kind, "Deployment");
    const pod = deployment!.spec.template.spec as Doc;
    const container = pod.containers[0] as Doc;
    assertHardened(pod, container, "deployment");
    assertProbes(container, 8080, "deployment");
    assert.ok(pod.terminationGracePeriodSeconds >= 10, "room for the 8 s shutdown");
    assert.equal(pod.volumes.find((v: Doc) => v.name === "config").configMap.name, configMap!.metadata.name);
  });
});

describe("deploy/kubernetes/daemonset.yaml", () => {
  const [daemonSet] = documents("kubernetes/daemonset.yaml");
  const pod = daemonSet!.spec.template.spec as Doc;
  const container = pod.containers[0] as Doc;
  it("is hardened, sized and probed on HEALTH_PORT", () => {
    assert.equal(daemonSet!.kind, "DaemonSet");
    assertHardened(pod, container, "daemonset");
    assertProbes(container, Number(containerEnv(container).HEALTH_PORT), "daemonset");
  });
  it("configures a valid heartbeat with the node as a dimension", () => {
    const result = heartbeatConfig(containerEnv(container));
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    assert.deepEqual(result.config.metrics[0]!.dimensions, { Node: "node-1" });
    assert.equal(result.config.health.port, 8080);
  });
});

describe("deploy/compose.yaml", () => {
  const compose = parse(readFileSync(deploy("compose.yaml"), "utf8")) as Doc;
  const service = compose.services["cloudwatch-publisher"] as Doc;
  it("runs hardened with a volume for the outbox", () => {
    assert.equal(service.read_only, true);
    assert.deepEqual(service.tmpfs, ["/tmp"]);
    assert.deepEqual(service.cap_drop, ["ALL"]);
    assert.ok((service.security_opt as string[]).includes("no-new-privileges:true"));
    assert.equal(service.user, "10001:10001");
    assert.ok((service.volumes as string[]).some((v) => v.endsWith(":/var/lib/cloudwatch-publisher")));
  });
  it("mounts a config that passes validate-config", () => {
    const mount = (service.volumes as string[]).find((v) => v.includes(":/config/config.yaml"))!;
    const file = join(REPO_ROOT, "deploy", mount.split(":")[0]!);
    const result = loadConfigText(readFileSync(file, "utf8"), file, {});
    assert.ok(result.ok);
  });
});

describe("deploy/ecs/task-definition.json", () => {
  const task = JSON.parse(readFileSync(deploy("ecs/task-definition.json"), "utf8")) as Doc;
  const container = task.containerDefinitions[0] as Doc;
  it("uses a task role and runs hardened with the image's healthcheck", () => {
    assert.match(task.taskRoleArn as string, /^arn:aws:iam::\d{12}:role\//);
    assert.equal(container.user, "10001:10001");
    assert.equal(container.readonlyRootFilesystem, true);
    assert.deepEqual(container.linuxParameters.capabilities.drop, ["ALL"]);
    assert.deepEqual(container.healthCheck.command, ["CMD", "node", "/app/dist/src/cli.js", "healthcheck"]);
    const paths = (container.mountPoints as Doc[]).map((m) => m.containerPath);
    assert.deepEqual(paths.sort(), ["/tmp", "/var/lib/cloudwatch-publisher"]);
  });
  it("configures a valid heartbeat", () => {
    const env = Object.fromEntries((container.environment as Doc[]).map((e) => [e.name, e.value])) as Record<
      string,
      string
    >;
    const result = heartbeatConfig(env);
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    assert.deepEqual(result.config.metrics[0]!.dimensions, { Service: "my-service", Stage: "prod" });
  });
});
