/**
 * The project's fake CloudWatch: a real HTTP server on 127.0.0.1 that speaks what the real SDK sends
 * for PutMetricData (AWS JSON 1.0, X-Amz-Target GraniteServiceVersion20100801.PutMetricData, gzip
 * bodies), checks each request's SigV4 signature against the test credentials, enforces the documented
 * limits with the real error shapes, records every accepted datum, and injects faults on request.
 */
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { SignatureV4 } from "@smithy/signature-v4";

export const TEST_ACCESS_KEY_ID = "AKIDFAKECLOUDWATCH";
export const TEST_SECRET_ACCESS_KEY = "fake-secret-for-tests-only";
export const TEST_REGION = "us-east-1";
export const TARGET = "GraniteServiceVersion20100801.PutMetricData";

// The fake keeps its own copy of CloudWatch's rules rather than importing the product's constants:
// an oracle that shares the code under test's mistakes cannot catch them.
const UNITS = new Set([
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
]);
const MAX_BODY_BYTES = 1_000_000;
const MAX_DATUMS = 1000;
const MAX_DIMENSIONS = 30;
const WEEKS_2_MS = 14 * 24 * 3600 * 1000;
/** Namespaces and dimensions: printable ASCII with at least one character that is not a space (API_Dimension). */
const PRINTABLE_ASCII = /^[\x20-\x7E]*[\x21-\x7E][\x20-\x7E]*$/;
const HOURS_2_MS = 2 * 3600 * 1000;
/** "up to 150 values per metric with one PutMetricData request" (API_PutMetricData.html). */
const MAX_VALUES_PER_METRIC = 150;

/** Whether CloudWatch accepts this number as a value (range and special values, API_MetricDatum). */
function inRange(value: unknown): value is number {
  const magnitude = typeof value === "number" ? Math.abs(value) : NaN;
  return (
    Number.isFinite(magnitude) && magnitude <= 2 ** 360 && (magnitude === 0 || magnitude >= 8.51592e-109)
  );
}

type Payload = Pick<RecordedDatum, "value" | "values" | "counts" | "statistics">;

/** Exactly one of Value, Values (+ Counts), StatisticValues, each checked as CloudWatch does. */
function payloadOf(d: Record<string, unknown>, at: string): Payload {
  const given = ["Value", "Values", "StatisticValues"].filter((field) => d[field] !== undefined);
  if (given.length > 1)
    throw invalid(`The parameters ${given.map((f) => `${at}.${f}`).join(", ")} are mutually exclusive.`);
  if (d.Values !== undefined) {
    const values = d.Values as unknown[];
    const counts = (d.Counts ?? values.map(() => 1)) as unknown[];
    if (!Array.isArray(values) || !values.every(inRange))
      throw invalid(`The parameter ${at}.Values is invalid.`);
    if (values.length > MAX_VALUES_PER_METRIC)
      throw invalid(
        `The collection ${at}.Values must not have a size greater than ${MAX_VALUES_PER_METRIC}.`,
      );
    if (
      !Array.isArray(counts) ||
      counts.length !== values.length ||
      !counts.every((c) => inRange(c) && c >= 0)
    )
      throw invalid(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
    return { value: NaN, values: values, counts: counts as number[] };
  }
  if (d.StatisticValues !== undefined) {
    const s = d.StatisticValues as Record<string, unknown>;
    for (const field of ["SampleCount", "Sum", "Minimum", "Maximum"])
      if (!inRange(s[field]))
        throw invalid(`The parameter ${at}.StatisticValues.${field} is required and must be valid.`);
    const statistics = s as unknown as NonNullable<RecordedDatum["statistics"]>;
    if (statistics.SampleCount <= 0 || statistics.Minimum > statistics.Maximum)
      throw invalid(`The parameter ${at}.StatisticValues is invalid.`);
    return { value: NaN, statistics: { ...statistics } };
  }
  if (!inRange(d.Value)) throw invalid(`The value ${String(d.Value)} for parameter ${at}.Value is invalid.`);
  return { value: d.Value };
}

/** Values of one series over a request, as the 150 rule counts them (per metric per request). */
function checkValuesPerSeries(recorded: readonly RecordedDatum[]): void {
  const perSeries = new Map<string, number>();
  for (const d of recorded) {
    if (d.values === undefined) continue;
    const key = JSON.stringify([d.name, Object.entries(d.dimensions).sort()]);
    const total = (perSeries.get(key) ?? 0) + d.values.length;
    if (total > MAX_VALUES_PER_METRIC)
      throw invalid(`More than ${MAX_VALUES_PER_METRIC} values for metric ${d.name} in one request.`);
    perSeries.set(key, total);
  }
}

export interface RecordedDatum {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The Value; NaN in a datum of Values + Counts or StatisticValues. */
  readonly value: number;
  /** Values and their Counts (each 1 when the request had no Counts), when the datum had Values. */
  readonly values?: readonly number[];
  readonly counts?: readonly number[];
  readonly statistics?: {
    readonly SampleCount: number;
    readonly Sum: number;
    readonly Minimum: number;
    readonly Maximum: number;
  };
  readonly timestamp: number;
  readonly unit: string | undefined;
  readonly storageResolution: number | undefined;
  /** The entity of its EntityMetricData, when it came in one (and CloudWatch took the entity). */
  readonly entity?: RecordedEntity;
}

/** An Entity as PutMetricData received it (API_Entity). */
export interface RecordedEntity {
  readonly KeyAttributes: Readonly<Record<string, string>>;
  readonly Attributes?: Readonly<Record<string, string>>;
}

export interface RecordedRequest {
  readonly namespace: string;
  readonly datumCount: number;
  readonly gzip: boolean;
  readonly bodyBytes: number;
  readonly status: number;
}

export type Fault =
  | { readonly kind: "server-error" }
  | { readonly kind: "throttle" }
  | { readonly kind: "latency"; readonly ms: number }
  | { readonly kind: "reset" };

type Data = string | ArrayBuffer | ArrayBufferView;

function bytes(data: Data): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** SigV4's hash on node:crypto, in the shape @smithy/signature-v4 asks for. */
class Sha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function signerFor(region: string): SignatureV4 {
  return new SignatureV4({
    service: "monitoring",
    region,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    sha256: Sha256,
  });
}

interface QueryInput {
  Namespace?: string | undefined;
  MetricData?: Record<string, unknown>[];
  EntityMetricData?: { Entity?: unknown; MetricData?: Record<string, unknown>[] }[];
  StrictEntityValidation?: unknown;
}

/** "You can include up to two EntityMetricData objects" (API_PutMetricData). */
const MAX_ENTITIES = 2;
/** API_Entity: KeyAttributes 2 to 4 items, Attributes at most 10; keys 1-32, values 1-2048 characters. */
const KEY_ATTRIBUTES = { min: 2, max: 4 };
const MAX_ATTRIBUTES = 10;

function stringMap(value: unknown, min: number, max: number): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length < min || entries.length > max) return undefined;
  for (const [key, v] of entries)
    if (key.length < 1 || key.length > 32 || typeof v !== "string" || v.length < 1 || v.length > 2048)
      return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The entity if it is valid as API_Entity defines it (Type among the KeyAttributes), else why not. */
function checkEntity(entity: unknown): RecordedEntity | string {
  const { KeyAttributes, Attributes } = (entity ?? {}) as { KeyAttributes?: unknown; Attributes?: unknown };
  const keys = stringMap(KeyAttributes, KEY_ATTRIBUTES.min, KEY_ATTRIBUTES.max);
  if (keys === undefined || keys.Type === undefined) return "InvalidKeyAttributes";
  if (Attributes === undefined) return { KeyAttributes: keys };
  const attributes = stringMap(Attributes, 0, MAX_ATTRIBUTES);
  return attributes === undefined ? "InvalidAttributes" : { KeyAttributes: keys, Attributes: attributes };
}

/**
 * Older AWS CLIs (Debian's aws-cli 2.9, used as the benchmark's peer) speak the query protocol:
 * a form-encoded body with Action=PutMetricData. The SDK this project uses never does.
 */
function isQuery(req: IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

function fromQuery(body: string): QueryInput {
  const form = new URLSearchParams(body);
  if (form.get("Action") !== "PutMetricData") throw invalid(`unsupported Action ${form.get("Action") ?? ""}`);
  const data: Record<string, unknown>[] = [];
  for (const [key, value] of form) {
    const m = /^MetricData\.member\.(\d+)\.(.+)$/.exec(key);
    if (m === null) continue;
    const datum = (data[Number(m[1]) - 1] ??= {});
    const field = m[2]!;
    const dim = /^Dimensions\.member\.(\d+)\.(Name|Value)$/.exec(field);
    if (dim !== null) {
      const dims = (datum.Dimensions ??= []) as Record<string, string>[];
      (dims[Number(dim[1]) - 1] ??= {})[dim[2]!] = value;
    } else if (field === "Value" || field === "StorageResolution") {
      datum[field] = Number(value);
    } else if (field === "Timestamp") {
      datum.Timestamp = Date.parse(value) / 1000;
    } else {
      datum[field] = value;
    }
  }
  return { Namespace: form.get("Namespace") ?? undefined, MetricData: data };
}

class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
  }
}

function invalid(message: string): Rejection {
  return new Rejection(400, "InvalidParameterValueException", "InvalidParameterValue", message);
}

export class FakeCloudWatch {
  readonly datums: RecordedDatum[] = [];
  /** Entities refused (StrictEntityValidation false: the datums are kept, the entity is not), and why. */
  readonly entityFailures: string[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Requests received, answered or not. */
  received = 0;
  /** Signature or protocol problems seen; a test that expects none asserts this is empty. */
  readonly protocolErrors: string[] = [];
  private readonly faults: Fault[] = [];
  private readonly rejectedNames = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private port = 0;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly signer: SignatureV4;
  private answerDelayMs = 0;
  private processAbandoned = false;
  private readonly delayed = new Set<{
    timer: NodeJS.Timeout | undefined;
    resolve: (drop?: boolean) => void;
  }>();
  /** Requests received and not yet answered (or abandoned). */
  private unanswered = 0;
  private idleWaiters: (() => void)[] = [];

  private constructor(readonly region: string) {
    this.server = this.createServer();
    this.signer = signerFor(region);
  }

  /** `region` is the one requests must be signed for (and env() sets); the README's for its walkthrough. */
  static async start(options: { region?: string } = {}): Promise<FakeCloudWatch> {
    const fake = new FakeCloudWatch(options.region ?? TEST_REGION);
    await fake.listen(0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The environment a user would set to point the program here, with the test credentials. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
      AWS_REGION: this.region,
      AWS_EC2_METADATA_DISABLED: "true",
    };
  }

  /** The next `times` requests meet this fault, in order after any already queued. */
  inject(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  /** From now on, any request holding a datum of this metric name is refused as invalid, naming the datum. */
  rejectMetricNamed(name: string): void {
    this.rejectedNames.add(name);
  }

  /**
   * From now on every request is answered only after `ms` (Infinity: never, as a black hole that
   * accepts the connection; 0: at once again). A request whose client gives up meanwhile is not
   * processed, unless `processAbandoned`: then its datums are recorded anyway, as CloudWatch would
   * record a request whose answer never reached the client. With `dropHeld`, the requests still
   * held when the delay ends are closed unanswered and unprocessed (as a CloudWatch that lost them),
   * so a test can count each datum exactly once: no held request races its client's timeout.
   */
  answerAfter(ms: number, options: { processAbandoned?: boolean; dropHeld?: boolean } = {}): void {
    this.answerDelayMs = ms;
    this.processAbandoned = options.processAbandoned ?? false;
    if (ms === 0) for (const wait of this.delayed) wait.resolve(options.dropHeld ?? false);
  }

  /** Resolves once every request received so far has been answered or abandoned. */
  idle(): Promise<void> {
    if (this.unanswered === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops listening: new connections are refused until resume(). */
  async refuseConnections(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async resume(): Promise<void> {
    this.server = this.createServer();
    await this.listen(this.port);
  }

  /** Resolves once at least `count` datums have been accepted; rejects after timeoutMs. */
  waitForDatums(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.datums.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`fake CloudWatch: ${this.datums.length} of ${count} datums after ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async close(): Promise<void> {
    for (const wait of this.delayed) wait.resolve();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private createServer(): Server {
    const server = createServer((req, res) => {
      this.unanswered++;
      this.received++;
      this.handle(req, res)
        .catch((error: unknown) => {
          this.protocolErrors.push(String(error));
          if (!res.headersSent) res.writeHead(500).end();
        })
        .finally(() => {
          if (--this.unanswered === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    });
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);

    if (this.answerDelayMs > 0) {
      const processAbandoned = this.processAbandoned;
      const dropped = await this.delay(this.answerDelayMs);
      if (dropped) {
        req.socket.destroy();
        return;
      }
      if (req.socket.destroyed && !processAbandoned) return;
    }
    const fault = this.faults.shift();
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "latency") {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      // A client that gave up meanwhile never had its request processed (as if it was lost on the way).
      if (req.socket.destroyed) return;
    }
    if (fault?.kind === "server-error") {
      this.reply(res, new Rejection(500, "InternalServiceFault", "InternalServiceError", "injected fault"));
      return;
    }
    if (fault?.kind === "throttle") {
      this.reply(res, new Rejection(400, "ThrottlingException", "Throttling", "Rate exceeded"));
      return;
    }

    try {
      await this.checkProtocol(req, raw);
      const gzip = req.headers["content-encoding"] === "gzip";
      const body = gzip ? gunzipSync(raw) : raw;
      if (body.length > MAX_BODY_BYTES) {
        throw new Rejection(
          413,
          "RequestEntityTooLarge",
          "RequestEntityTooLarge",
          `Request size ${body.length} exceeded ${MAX_BODY_BYTES} bytes`,
        );
      }
      const query = isQuery(req);
      const input = query
        ? fromQuery(body.toString("utf8"))
        : (JSON.parse(body.toString("utf8")) as QueryInput);
      const accepted = this.checkInput(input);
      this.requests.push({
        namespace: input.Namespace!,
        datumCount: accepted.length,
        gzip,
        bodyBytes: body.length,
        status: 200,
      });
      this.datums.push(...accepted);
      if (query) {
        res
          .writeHead(200, { "content-type": "text/xml" })
          .end(
            '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></PutMetricDataResponse>',
          );
      } else {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end("{}");
      }
      this.waiters = this.waiters.filter((w) => {
        if (this.datums.length < w.count) return true;
        w.resolve();
        return false;
      });
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      this.reply(res, error);
    }
  }

  /** Resolves after `ms`, or when answerAfter(0) releases it: true if the request is to be dropped. */
  private delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wait = {
        timer: undefined as NodeJS.Timeout | undefined,
        resolve: (drop = false) => {
          clearTimeout(wait.timer);
          this.delayed.delete(wait);
          resolve(drop);
        },
      };
      if (Number.isFinite(ms)) wait.timer = setTimeout(() => wait.resolve(), ms);
      this.delayed.add(wait);
    });
  }

  private reply(res: ServerResponse, rejection: Rejection): void {
    this.requests.push({ namespace: "", datumCount: 0, gzip: false, bodyBytes: 0, status: rejection.status });
    res
      .writeHead(rejection.status, {
        "content-type": "application/x-amz-json-1.0",
        "x-amzn-query-error": `${rejection.queryCode};Sender`,
      })
      .end(
        JSON.stringify({ __type: `com.amazonaws.cloudwatch#${rejection.type}`, message: rejection.message }),
      );
  }

  private async checkProtocol(req: IncomingMessage, raw: Buffer): Promise<void> {
    const fail = (message: string, type = "MissingAuthenticationTokenException", status = 403): never => {
      this.protocolErrors.push(message);
      throw new Rejection(status, type, type, message);
    };
    if (req.method !== "POST" || req.url !== "/")
      fail(`unexpected ${req.method ?? ""} ${req.url ?? ""}`, "UnknownOperationException", 400);
    if (!isQuery(req) && req.headers["x-amz-target"] !== TARGET)
      fail(
        `unexpected X-Amz-Target ${String(req.headers["x-amz-target"])}`,
        "UnknownOperationException",
        400,
      );
    if (!isQuery(req) && req.headers["content-type"] !== "application/x-amz-json-1.0")
      fail(`unexpected content-type ${String(req.headers["content-type"])}`, "SerializationException", 400);
    const authorization = req.headers.authorization ?? "";
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/monitoring\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (match === null) fail(`not SigV4-signed for monitoring: ${authorization.slice(0, 40)}`);
    const [, accessKeyId, , region, signedHeaders] = match!;
    if (accessKeyId !== TEST_ACCESS_KEY_ID)
      fail(`unknown access key ${accessKeyId!}`, "InvalidClientTokenId");
    if (region !== this.region)
      fail(`signed for region ${region!}, not ${this.region}`, "SignatureDoesNotMatch");
    const headers: Record<string, string> = {};
    for (const name of signedHeaders!.split(";")) headers[name] = String(req.headers[name] ?? "");
    const amzDate = headers["x-amz-date"] ?? "";
    const signingDate = new Date(
      amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"),
    );
    const host = req.headers.host ?? "";
    const signed = await this.signer.sign(
      {
        method: "POST",
        protocol: "http:",
        hostname: host.split(":")[0]!,
        path: "/",
        query: {},
        headers,
        body: raw,
      },
      { signingDate, signingRegion: this.region, signingService: "monitoring" },
    );
    // The query-protocol path exists only for the benchmark's aws-cli peer; its signature is checked
    // for form and key above but not recomputed (botocore's canonical form of it differs in detail).
    if (!isQuery(req) && signed.headers.authorization !== authorization)
      fail("signature does not match the test credentials", "SignatureDoesNotMatch");
  }

  private checkInput(input: QueryInput): RecordedDatum[] {
    const namespace = input.Namespace;
    if (typeof namespace !== "string" || namespace.length < 1 || namespace.length > 255) {
      throw invalid("The parameter Namespace must be 1 to 255 characters.");
    }
    if (namespace.startsWith("AWS/")) throw invalid("The value AWS/ for parameter Namespace is invalid.");
    if (!PRINTABLE_ASCII.test(namespace) || namespace.startsWith(":"))
      throw invalid(`The value ${namespace} for parameter Namespace is invalid.`);
    const members: { d: Record<string, unknown>; at: string; entity: RecordedEntity | undefined }[] = [];
    for (const [i, d] of (Array.isArray(input.MetricData) ? input.MetricData : []).entries())
      members.push({ d, at: `MetricData.member.${i + 1}`, entity: undefined });
    const entities = input.EntityMetricData;
    if (entities !== undefined) {
      if (!Array.isArray(entities) || entities.length > MAX_ENTITIES)
        throw invalid(`The collection EntityMetricData must not have a size greater than ${MAX_ENTITIES}.`);
      if (typeof input.StrictEntityValidation !== "boolean")
        throw invalid("The parameter StrictEntityValidation is required when EntityMetricData is included.");
      for (const [k, item] of entities.entries()) {
        const checked = checkEntity(item.Entity);
        if (typeof checked === "string") {
          if (input.StrictEntityValidation)
            throw invalid(`EntityMetricData.member.${k + 1}.Entity: ${checked}`);
          this.entityFailures.push(checked);
        }
        const entity = typeof checked === "string" ? undefined : checked;
        for (const [i, d] of (item.MetricData ?? []).entries())
          members.push({ d, at: `EntityMetricData.member.${k + 1}.MetricData.member.${i + 1}`, entity });
      }
    }
    if (members.length === 0) {
      throw new Rejection(
        400,
        "MissingRequiredParameterException",
        "MissingParameter",
        "The parameter MetricData is required.",
      );
    }
    if (members.length > MAX_DATUMS)
      throw invalid(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
    const now = Date.now();
    const recorded = members.map(({ d, at, entity }): RecordedDatum => {
      const name = d.MetricName;
      if (typeof name !== "string" || name.length < 1 || name.length > 255)
        throw invalid(`The parameter ${at}.MetricName is invalid.`);
      if (this.rejectedNames.has(name))
        throw invalid(`The value ${name} for parameter ${at}.MetricName is invalid.`);
      const dimensions = (d.Dimensions ?? []) as { Name?: unknown; Value?: unknown }[];
      if (dimensions.length > MAX_DIMENSIONS)
        throw invalid(`The collection ${at}.Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`);
      const recorded: Record<string, string> = {};
      dimensions.forEach((dim, j) => {
        const dimName = dim.Name;
        if (
          typeof dimName !== "string" ||
          dimName.length > 255 ||
          !PRINTABLE_ASCII.test(dimName) ||
          dimName.startsWith(":")
        )
          throw invalid(`The parameter ${at}.Dimensions.member.${j + 1}.Name is invalid.`);
        if (typeof dim.Value !== "string" || dim.Value.length > 1024 || !PRINTABLE_ASCII.test(dim.Value))
          throw invalid(`The parameter ${at}.Dimensions.member.${j + 1}.Value is invalid.`);
        recorded[dimName] = dim.Value;
      });
      const payload = payloadOf(d, at);
      const timestamp = typeof d.Timestamp === "number" ? d.Timestamp * 1000 : now;
      if (timestamp < now - WEEKS_2_MS || timestamp > now + HOURS_2_MS) {
        throw invalid(
          `The parameter ${at}.Timestamp must specify a time no more than two weeks in the past or two hours in the future.`,
        );
      }
      const unit = d.Unit as string | undefined;
      if (unit !== undefined && !UNITS.has(unit))
        throw invalid(`The value ${unit} for parameter ${at}.Unit is invalid.`);
      const storageResolution = d.StorageResolution as number | undefined;
      if (storageResolution !== undefined && storageResolution !== 1 && storageResolution !== 60) {
        throw invalid(`The value ${storageResolution} for parameter ${at}.StorageResolution is invalid.`);
      }
      const datum = { namespace, name, dimensions: recorded, ...payload, timestamp, unit, storageResolution };
      return entity === undefined ? datum : { ...datum, entity };
    });
    checkValuesPerSeries(recorded);
    return recorded;
  }
}
