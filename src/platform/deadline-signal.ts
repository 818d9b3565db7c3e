/** One deadline for a whole resolution, as an AbortSignal, and the two waits that honour it. */

export interface DeadlineSignal {
  readonly signal: AbortSignal;
  /** Clears the timer; call it when the work is done so nothing keeps the process alive. */
  dispose(): void;
}

/** Aborts after `ms`, or as soon as `parent` aborts; the reason says which. */
export function deadlineSignal(ms: number, parent?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  const onParent = () => {
    controller.abort(new Error("cancelled"));
  };
  // A ref'd timer: during start-up this deadline may be the only thing the process waits on.
  const timer = setTimeout(() => {
    controller.abort(new Error(`gave up at the ${ms} ms deadline`));
  }, ms);
  if (parent?.aborted === true) onParent();
  else parent?.addEventListener("abort", onParent, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParent);
    },
  };
}

/** Why `signal` aborted, as text. */
export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}

/** Waits `ms`; rejects at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error(abortReason(signal)));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error(abortReason(signal)));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** `work`'s result, or `onAbort(reason)` as soon as `signal` aborts; `work` is left to end on its own. */
export function unlessAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  onAbort: (reason: string) => T,
): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined); // its failure no longer matters, and must not go unhandled
    return Promise.resolve(onAbort(abortReason(signal)));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      resolve(onAbort(abortReason(signal)));
    };
    signal.addEventListener("abort", abort, { once: true });
    void work.then(resolve, reject).finally(() => {
      signal.removeEventListener("abort", abort);
    });
  });
}
