/**
 * Preloaded into a CLI under test with `--import`: on SIGUSR2 it throws from a callback (or rejects a
 * promise nobody awaits), as a bug in a library would. CWP_TEST_FAULT is "exception" or "rejection".
 */
process.on("SIGUSR2", () => {
  setImmediate(() => {
    if (process.env.CWP_TEST_FAULT === "rejection") void Promise.reject(new Error("planted rejection"));
    else throw new Error("planted exception");
  });
});
