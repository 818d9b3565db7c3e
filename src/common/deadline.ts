/** Waits for `work` for at most `ms`; resolves true if it finished in time. `work` keeps running either way. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>(
    (resolve) =>
      (timer = setTimeout(
        () => {
          resolve(false);
        },
        Math.max(ms, 0),
      )),
  );
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
