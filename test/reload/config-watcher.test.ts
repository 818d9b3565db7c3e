/**
 * watchConfig on real directories: an in-place write, an editor's rename, and the Kubernetes ConfigMap
 * update done exactly as kubelet's atomic writer does it (new timestamped directory, `..data_tmp`
 * symlink renamed over `..data`, old directory removed). Assertions wait for outcomes, not times.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { watchConfig, type ConfigWatcher } from "../../src/config/config-watcher.js";
import { sleep, waitFor } from "../support/wait.js";

const DEBOUNCE_MS = 100;

/** A ConfigMap volume as kubelet lays it out: config.yaml -> ..data/config.yaml, ..data -> ..<timestamp>. */
async function configMapVolume(
  dir: string,
  text: string,
): Promise<{ path: string; update: (text: string) => Promise<void> }> {
  let generation = 0;
  const timestamped = () => `..2026_01_02_03_04_05.${String(++generation).padStart(9, "0")}`;
  const first = timestamped();
  await mkdir(join(dir, first));
  await writeFile(join(dir, first, "config.yaml"), text);
  await symlink(first, join(dir, "..data"));
  await symlink(join("..data", "config.yaml"), join(dir, "config.yaml"));
  let current = first;
  return {
    path: join(dir, "config.yaml"),
    update: async (next: string) => {
      const fresh = timestamped();
      await mkdir(join(dir, fresh));
      await writeFile(join(dir, fresh, "config.yaml"), next);
      await symlink(fresh, join(dir, "..data_tmp"));
      await rename(join(dir, "..data_tmp"), join(dir, "..data"));
      await rm(join(dir, current), { recursive: true });
      current = fresh;
    },
  };
}

describe("watchConfig", () => {
  let root: string;
  const watchers: ConfigWatcher[] = [];
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "cwp-watch-"));
  });
  after(async () => {
    for (const w of watchers) w.close();
    await rm(root, { recursive: true, force: true });
  });

  async function setUp(name: string) {
    const dir = join(root, name);
    await mkdir(dir);
    return dir;
  }

  function watching(path: string, options: Parameters<typeof watchConfig>[2] = {}) {
    const calls: number[] = [];
    const watcher = watchConfig(path, () => calls.push(Date.now()), { debounceMs: DEBOUNCE_MS, ...options });
    watchers.push(watcher);
    return { calls, watcher };
  }

  it("sees the ConfigMap symlink swap, and reads the new content through the link", async () => {
    const volume = await configMapVolume(await setUp("configmap"), "version: 1\n");
    const { calls, watcher } = watching(volume.path, { pollMs: 60_000 });
    await watcher.ready;
    await volume.update("version: 2\n");
    await waitFor(() => calls.length === 1, "one change for the swap");
    assert.equal(await readFile(volume.path, "utf8"), "version: 2\n");
    await volume.update("version: 3\n");
    await waitFor(() => calls.length === 2, "a second change for a second swap");
  });

  it("sees an in-place write, and reports a burst of writes once", async () => {
    const path = join(await setUp("in-place"), "config.yaml");
    await writeFile(path, "a\n");
    // A long debounce: the five writes must fall within it even on a loaded machine.
    const { calls, watcher } = watching(path, { pollMs: 60_000, debounceMs: 1_500 });
    await watcher.ready;
    for (let i = 0; i < 5; i++) await writeFile(path, `a${"!".repeat(i)}\n`);
    await waitFor(() => calls.length >= 1, "a change for the writes");
    await sleep(2_000);
    assert.equal(calls.length, 1, "five writes in a row are one reload");
  });

  it("sees an editor's save by rename", async () => {
    const dir = await setUp("rename");
    const path = join(dir, "config.yaml");
    await writeFile(path, "a\n");
    const { calls, watcher } = watching(path, { pollMs: 60_000 });
    await watcher.ready;
    await writeFile(join(dir, ".config.yaml.swp"), "b\n");
    await rename(join(dir, ".config.yaml.swp"), path);
    await waitFor(() => calls.length === 1, "a change for the rename");
  });

  it("falls back on polling when no file events come (a bind mount edited on the host)", async () => {
    const path = join(await setUp("poll"), "config.yaml");
    await writeFile(path, "a\n");
    const { calls, watcher } = watching(path, { useFsEvents: false, pollMs: 100 });
    await watcher.ready;
    await writeFile(path, "bb\n");
    await waitFor(() => calls.length === 1, "a change found by polling");
  });

  it("does not report a path that leads nowhere, and reports the file once it is back", async () => {
    const dir = await setUp("missing");
    const path = join(dir, "config.yaml");
    await writeFile(path, "a\n");
    const { calls, watcher } = watching(path, { pollMs: 100 });
    await watcher.ready;
    await rm(path);
    await sleep(DEBOUNCE_MS * 4);
    assert.equal(calls.length, 0, "no reload of a missing file");
    await writeFile(path, "b\n");
    await waitFor(() => calls.length === 1, "a change when the file is back");
  });

  it("stops calling back once closed", async () => {
    const path = join(await setUp("closed"), "config.yaml");
    await writeFile(path, "a\n");
    const { calls, watcher } = watching(path, { pollMs: 100 });
    watcher.close();
    await writeFile(path, "bb\n");
    await sleep(DEBOUNCE_MS * 4);
    assert.equal(calls.length, 0);
  });
});
