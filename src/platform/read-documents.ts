/**
 * Fetches the metadata documents asked for, each once: EC2 and ECS side by side, under one deadline
 * (PLATFORM_DEADLINE_MS). Never throws: a document that cannot be had is a reason, naming its URL.
 */
import { deadlineSignal } from "./deadline-signal.js";
import {
  DEFAULT_IMDS_ORIGIN,
  instanceMetadataDisabled,
  instanceMetadataEndpoint,
  readInstanceMetadata,
} from "./instance-metadata.js";
import type { Fetched } from "./metadata-failure.js";
import { PLATFORM_DEADLINE_MS } from "./metadata-timing.js";
import { DOCUMENTS, type MetadataDocument } from "./placeholders.js";
import type { PlatformEnv } from "./platform-env.js";
import { ENV_TASK_METADATA_URI, readTaskMetadata, taskMetadataBase } from "./task-metadata.js";

function parse(fetched: Fetched, json: boolean): Fetched {
  if (!fetched.ok || !json) return fetched;
  try {
    return { ...fetched, document: JSON.parse(fetched.document as string) as unknown };
  } catch {
    const sample = (fetched.document as string).slice(0, 40);
    return {
      ok: false,
      url: fetched.url,
      reason: `the answer is not JSON (starts ${JSON.stringify(sample)})`,
    };
  }
}

async function ec2(wanted: MetadataDocument[], env: PlatformEnv, signal: AbortSignal) {
  const endpoint = instanceMetadataEndpoint(env);
  const origin = endpoint.ok ? endpoint.origin : DEFAULT_IMDS_ORIGIN;
  const off = endpoint.ok ? instanceMetadataDisabled(env) : endpoint.reason;
  if (off !== undefined)
    return wanted.map((doc): Fetched => ({ ok: false, url: origin + DOCUMENTS[doc].path, reason: off }));
  const answers = await readInstanceMetadata(
    wanted.map((doc) => DOCUMENTS[doc].path),
    origin,
    signal,
  );
  return wanted.map((doc) => answers.get(DOCUMENTS[doc].path)!);
}

async function ecs(wanted: MetadataDocument[], env: PlatformEnv, signal: AbortSignal) {
  const base = taskMetadataBase(env);
  if (!base.ok)
    return wanted.map((doc): Fetched => ({
      ok: false,
      url: `\${${ENV_TASK_METADATA_URI}}${DOCUMENTS[doc].path}`,
      reason: base.reason,
    }));
  const answers = await readTaskMetadata(
    wanted.map((doc) => DOCUMENTS[doc].path),
    base.base,
    signal,
  );
  return wanted.map((doc) => answers.get(DOCUMENTS[doc].path)!);
}

/** Every document in `wanted` with its answer: parsed JSON or text, or why there is none. */
export async function readDocuments(
  wanted: ReadonlySet<MetadataDocument>,
  env: PlatformEnv,
  parent?: AbortSignal,
): Promise<Map<MetadataDocument, Fetched>> {
  const ec2Wanted = [...wanted].filter((doc) => DOCUMENTS[doc].platform === "ec2");
  const ecsWanted = [...wanted].filter((doc) => DOCUMENTS[doc].platform === "ecs");
  const deadline = deadlineSignal(PLATFORM_DEADLINE_MS, parent);
  try {
    const [ec2Answers, ecsAnswers] = await Promise.all([
      ec2Wanted.length === 0 ? [] : ec2(ec2Wanted, env, deadline.signal),
      ecsWanted.length === 0 ? [] : ecs(ecsWanted, env, deadline.signal),
    ]);
    const docs = [...ec2Wanted, ...ecsWanted];
    const answers = [...ec2Answers, ...ecsAnswers];
    return new Map(docs.map((doc, i) => [doc, parse(answers[i]!, DOCUMENTS[doc].json)]));
  } finally {
    deadline.dispose();
  }
}
