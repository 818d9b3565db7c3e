/** What an end-to-end test file shares: a fake CloudWatch, an environment pointing at it, a folder for configs. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { cleanEnv } from "./cli.js";
import { FakeCloudWatch } from "./fake-cloudwatch.js";

export interface E2eHarness {
  readonly dir: string;
  /** The fake, started before the file's tests and closed after them. */
  readonly fake: () => FakeCloudWatch;
  /** A clean environment for the CLI, aimed at the fake, with JSON logs. */
  readonly env: (extra?: Record<string, string>) => Record<string, string>;
  /** Writes a config into the folder; returns its path. */
  readonly writeConfig: (name: string, yaml: string) => string;
}

/** Call at the top level of a test file: registers the before/after hooks. */
export function e2eHarness(prefix: string): E2eHarness {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let fake: FakeCloudWatch | undefined;
  before(async () => {
    fake = await FakeCloudWatch.start();
  });
  after(async () => {
    await fake?.close();
  });
  return {
    dir,
    fake: () => fake!,
    env: (extra = {}) => cleanEnv({ ...fake!.env(), LOG_FORMAT: "json", ...extra }),
    writeConfig: (name, yaml) => {
      const file = join(dir, name);
      writeFileSync(file, yaml);
      return file;
    },
  };
}
