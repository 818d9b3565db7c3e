/** The deployment examples: parsed for real, hardened as the README promises, their configs valid. */
/* eslint-disable @typescript-eslint/no-unsafe-member-access,
   @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call --
   manifests are untyped documents walked field by field; a missing field fails the assertion on it. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import ts from "typescript";
import { parse, parseAllDocuments } from "yaml";
import { heartbeatConfig } from "../../src/config/heartbeat.js";
import { formatConfigError } from "../../src/config/issue.js";
import { loadConfigText } from "../../src/config/load.js";
import { packageVersion } from "../../src/version.js";
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

/** What the downward API gives a pod, by fieldPath. */
const DOWNWARD: Readonly<Record<string, string>> = {
  "spec.nodeName": "node-1",
  "metadata.name": "pod-1",
  "metadata.namespace": "team-a",
};

/** The environment a container would see: the downward API's values, Kubernetes' $(VAR) expanded. */
function containerEnv(container: Doc): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env as Doc[]) {
    const field = entry.valueFrom?.fieldRef?.fieldPath as string | undefined;
    if (field !== undefined) {
      assert.ok(DOWNWARD[field] !== undefined, `a known downward API field: ${field}`);
      env[entry.name as string] = DOWNWARD[field]!;
    }
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
  const docs = documents("kubernetes/deployment.yaml");
  const configMap = docs.find((d) => d.kind === "ConfigMap");
  const deployment = docs.find((d) => d.kind === "Deployment");
  it("has a ConfigMap whose config passes validate-config", () => {
    assert.equal(configMap!.kind, "ConfigMap");
    const container = deployment!.spec.template.spec.containers[0] as Doc;
    const env = containerEnv(container);
    const result = loadConfigText(configMap!.data["config.yaml"] as string, "configmap", env);
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    assert.deepEqual(result.config.metrics[0]!.dimensions, { Cluster: "my-cluster", Namespace: "team-a" });
    assert.deepEqual(
      ["NODE_NAME", "POD_NAME", "POD_NAMESPACE"].map((name) => env[name]),
      ["node-1", "pod-1", "team-a"],
      "the downward API's names, as the README shows them",
    );
    assert.equal(result.config.entity, false, "cluster metrics are no node's");
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
  const daemonSet = documents("kubernetes/daemonset.yaml").find((d) => d.kind === "DaemonSet");
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

describe("deploy/kubernetes/system-daemonset.yaml", () => {
  const docs = documents("kubernetes/system-daemonset.yaml");
  const daemonSet = docs.find((d) => d.kind === "DaemonSet")!;
  const configMap = docs.find((d) => d.kind === "ConfigMap")!;
  const pod = daemonSet.spec.template.spec as Doc;
  const container = pod.containers[0] as Doc;
  it("is hardened, sized and probed on the config's health port", () => {
    assertHardened(pod, container, "system-daemonset");
    assertProbes(container, 8080, "system-daemonset");
  });
  it("has a ConfigMap of system metrics that passes validate-config with the node as a dimension", () => {
    const result = loadConfigText(
      configMap.data["config.yaml"] as string,
      "configmap",
      containerEnv(container),
    );
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    assert.equal(result.config.health.port, 8080);
    assert.ok(
      result.config.metrics.every((m) => m.source.type === "system" && m.dimensions.Node === "node-1"),
    );
    assert.equal(pod.volumes.find((v: Doc) => v.name === "config").configMap.name, configMap.metadata.name);
  });
  it("names the node's /proc, /sys and / in HOST_PROC, HOST_SYS and HOST_MOUNT_PREFIX, mounted read-only", () => {
    const env = containerEnv(container);
    const hostPaths: Record<string, string> = {
      HOST_PROC: "/proc",
      HOST_SYS: "/sys",
      HOST_MOUNT_PREFIX: "/",
    };
    for (const [variable, hostPath] of Object.entries(hostPaths)) {
      const mount = (container.volumeMounts as Doc[]).find((m) => m.mountPath === env[variable]);
      assert.ok(mount, `${variable} is a mount`);
      assert.equal(mount.readOnly, true, `${variable} read-only`);
      const volume = (pod.volumes as Doc[]).find((v) => v.name === mount.name)!;
      assert.equal(volume.hostPath.path, hostPath, `${variable} is the node's ${hostPath}`);
    }
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
    // Without metadata (as validate-config) the placeholder stands for a value of its kind.
    assert.deepEqual(result.config.metrics[0]!.dimensions, {
      Service: "my-service",
      Stage: "prod",
      Cluster: "example-cluster",
    });
    assert.deepEqual(result.placeholders, [
      { name: "ecs:ClusterName", fallback: undefined, where: "METRIC_DIMENSIONS" },
    ]);
    assert.equal(env.AWS_REGION, undefined, "the region comes from the task's metadata");
  });
});

/**
 * Every kind the manifests use, with kubernetes-models' model (its validate() checks a document against
 * the Kubernetes API's OpenAPI schema: types, required fields, formats) and its TypeScript interface
 * (whose excess-property check finds unknown fields, which `kubectl apply` refuses).
 */
const KINDS: Readonly<
  Record<string, { model: new (data: Doc) => { validate(): void }; module: string; type: string }>
> = {
  "v1/ServiceAccount": {
    model: ServiceAccount,
    module: "kubernetes-models/v1/ServiceAccount",
    type: "IServiceAccount",
  },
  "v1/ConfigMap": { model: ConfigMap, module: "kubernetes-models/v1/ConfigMap", type: "IConfigMap" },
  "apps/v1/Deployment": {
    model: Deployment,
    module: "kubernetes-models/apps/v1/Deployment",
    type: "IDeployment",
  },
  "apps/v1/DaemonSet": {
    model: DaemonSet,
    module: "kubernetes-models/apps/v1/DaemonSet",
    type: "IDaemonSet",
  },
};
const MANIFESTS = [
  "kubernetes/deployment.yaml",
  "kubernetes/daemonset.yaml",
  "kubernetes/system-daemonset.yaml",
];
const kindOf = (doc: Doc) => `${doc.apiVersion as string}/${doc.kind as string}`;

/** Type-checks each document against its interface in one program; returns "file#n: message" per error. */
function unknownFields(docs: readonly { where: string; doc: Doc }[]): string[] {
  const file = join(REPO_ROOT, "test", "deploy", "manifest-check.ts");
  const types = [...new Set(docs.map(({ doc }) => KINDS[kindOf(doc)]!))];
  const lines = types.map((k) => `import type { ${k.type} } from "${k.module}";`);
  const owners: string[] = lines.map(() => "");
  for (const [i, { where, doc }] of docs.entries()) {
    const text = `export const doc${i}: ${KINDS[kindOf(doc)]!.type} = ${JSON.stringify(doc, null, 2)};`.split(
      "\n",
    );
    lines.push(...text);
    owners.push(...text.map(() => where));
  }
  const source = lines.join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line =
      d.file === undefined || d.start === undefined ? 0 : d.file.getLineAndCharacterOfPosition(d.start).line;
    return `${owners[line] ?? "?"}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

describe("the Kubernetes manifests apply as they are", () => {
  const all = MANIFESTS.flatMap((file) =>
    documents(file).map((doc, i) => ({ file, where: `${file}#${i + 1} (${String(doc.kind)})`, doc })),
  );

  it("are each a kind the check knows", () => {
    assert.deepEqual(
      all.map(({ where, doc }) => (KINDS[kindOf(doc)] === undefined ? where : "")).filter(Boolean),
      [],
    );
  });

  it("validate against the Kubernetes API schemas", () => {
    for (const { where, doc } of all) {
      const Model = KINDS[kindOf(doc)]!.model;
      assert.doesNotThrow(() => new Model(doc).validate(), where);
    }
  });

  it("have no field the API does not know", () => {
    assert.deepEqual(unknownFields(all), []);
  });

  it("the strict check catches an unknown field, and the schema check a wrong type", () => {
    const deployment = all.find(({ doc }) => doc.kind === "Deployment")!.doc;
    const typo = structuredClone(deployment);
    typo.spec.template.spec.serviceAcountName = "x";
    assert.match(unknownFields([{ where: "typo", doc: typo }]).join("\n"), /serviceAcountName/);
    const wrongType = structuredClone(deployment);
    wrongType.spec.replicas = "one";
    assert.throws(() => new Deployment(wrongType).validate(), /replicas/);
  });

  it("define the ServiceAccount and ConfigMap each pod names", () => {
    for (const file of MANIFESTS) {
      const docs = documents(file);
      const defined = (kind: string) =>
        new Set(docs.filter((d) => d.kind === kind).map((d) => d.metadata.name as string));
      for (const workload of docs.filter((d) => d.kind === "Deployment" || d.kind === "DaemonSet")) {
        const pod = workload.spec.template.spec as Doc;
        assert.ok(
          defined("ServiceAccount").has(pod.serviceAccountName as string),
          `${file}: ServiceAccount ${String(pod.serviceAccountName)}`,
        );
        for (const volume of (pod.volumes as Doc[]).filter((v) => v.configMap !== undefined)) {
          assert.ok(
            defined("ConfigMap").has(volume.configMap.name as string),
            `${file}: ConfigMap ${String(volume.configMap.name)}`,
          );
        }
      }
    }
  });

  it("name the image the README builds and pushes for a cluster", () => {
    const tag = `cloudwatch-publisher:${packageVersion()}`;
    for (const { where, doc } of all.filter(({ doc }) => doc.spec?.template !== undefined)) {
      for (const container of doc.spec.template.spec.containers as Doc[])
        assert.equal(container.image, tag, where);
    }
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(`docker build -t ${tag} .`), `the README builds ${tag}`);
    assert.ok(readme.includes(`docker push `) && readme.includes(`/${tag}`), `the README pushes ${tag}`);
  });
});

describe("deploy/ecs/task-definition.json is valid for Fargate", () => {
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html
  const task = JSON.parse(readFileSync(deploy("ecs/task-definition.json"), "utf8")) as Doc;
  const FARGATE_INVALID = [
    "disableNetworking",
    "dnsSearchDomains",
    "dnsServers",
    "dockerSecurityOptions",
    "extraHosts",
    "gpu",
    "links",
    "privileged",
  ];
  it("uses no parameter Fargate refuses", () => {
    assert.deepEqual(task.requiresCompatibilities, ["FARGATE"]);
    assert.equal(task.networkMode, "awsvpc");
    for (const container of task.containerDefinitions as Doc[]) {
      assert.deepEqual(
        FARGATE_INVALID.filter((key) => key in container),
        [],
      );
      const linux = (container.linuxParameters ?? {}) as Doc;
      assert.deepEqual(
        ((linux.capabilities?.add ?? []) as string[]).filter((c) => c !== "SYS_PTRACE"),
        [],
      );
      for (const key of ["devices", "sharedMemorySize", "tmpfs"]) assert.equal(key in linux, false, key);
    }
    for (const volume of task.volumes as Doc[])
      assert.deepEqual(Object.keys(volume), ["name"], "bind mount volumes only");
  });
  it("asks for a CPU and memory pair Fargate offers", () => {
    // 0.25 vCPU goes with 512 MiB, 1 GiB or 2 GiB.
    assert.equal(task.cpu, "256");
    assert.ok(["512", "1024", "2048"].includes(task.memory as string));
  });
});
