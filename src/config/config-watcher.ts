/**
 * `--watch`: calls back when the config file's content may have changed, once per burst of changes.
 *
 * It watches the file's directory, not the file: an editor that saves by rename, and the Kubernetes
 * ConfigMap update (kubelet writes a new `..2026_01_02_03_04_05.0123` directory, points a
 * `..data_tmp` symlink at it and renames that over `..data`, which `config.yaml` links through)
 * replace the file rather than write into it, and a watch on the old file would never fire again.
 * What counts is the file the path leads to now, following links: its device, inode, size and
 * times. Events only prompt a look; the directory is also looked at every `pollMs`, for what
 * inotify does not see (a single-file bind mount edited on the host, network filesystems). A
 * change is reported after `debounceMs` without further change, so a save in several steps or a
 * symlink swap is one reload; a path that leads nowhere (mid-swap, deleted) is not reported until
 * a file is back.
 */
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";

export const DEFAULT_WATCH_DEBOUNCE_MS = 500;
export const DEFAULT_WATCH_POLL_MS = 5_000;

export interface ConfigWatcherOptions {
  readonly debounceMs?: number;
  readonly pollMs?: number;
  /** Off: polling only (for tests of the fallback, and filesystems where fs.watch misbehaves). */
  readonly useFsEvents?: boolean;
}

export interface ConfigWatcher {
  /** Resolves once the current file has been looked at: changes after it are reported. */
  readonly ready: Promise<void>;
  close(): void;
}

/** What identifies the file's current content without reading it; undefined when there is none. */
async function signature(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path, { bigint: true });
    if (!s.isFile()) return undefined;
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

export function watchConfig(
  path: string,
  onChange: () => void,
  options: ConfigWatcherOptions = {},
): ConfigWatcher {
  const debounceMs = options.debounceMs ?? DEFAULT_WATCH_DEBOUNCE_MS;
  let closed = false;
  let reported: string | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const ready = signature(path).then((s) => {
    reported = s;
  });

  /** After a quiet debounce, report when the file is there and differs from what was last reported. */
  const settle = () => {
    settleTimer = undefined;
    void signature(path).then((now) => {
      if (closed || now === undefined || now === reported) return;
      reported = now;
      onChange();
    });
  };

  const look = () => {
    if (closed) return;
    void ready.then(async () => {
      const now = await signature(path);
      if (closed || now === reported) return;
      // Something moved: wait until it stays still for debounceMs.
      if (settleTimer !== undefined) clearTimeout(settleTimer);
      settleTimer = setTimeout(settle, debounceMs);
      settleTimer.unref();
    });
  };

  if (options.useFsEvents !== false) {
    try {
      // Any entry may matter (kubelet's swap renames `..data`, not the file's own name); a look is one stat.
      watcher = watch(dirname(path), { persistent: false }, look);
      // A directory that goes away ends the watch; the poll goes on.
      watcher.on("error", () => watcher?.close());
    } catch {
      watcher = undefined;
    }
  }
  const poll = setInterval(look, options.pollMs ?? DEFAULT_WATCH_POLL_MS);
  poll.unref();

  return {
    ready,
    close: () => {
      closed = true;
      watcher?.close();
      clearInterval(poll);
      if (settleTimer !== undefined) clearTimeout(settleTimer);
    },
  };
}
