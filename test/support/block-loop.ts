/**
 * Preloaded into a CLI under test with `--import`: on SIGUSR2 it blocks the event loop for
 * CWP_TEST_BLOCK_MS (a long synchronous call in a library, a host starved of CPU), so a timer that
 * was due meanwhile fires late. The wall clock and the monotonic clock advance together: this is
 * lateness, not a clock jump.
 */
process.on("SIGUSR2", () => {
  const until = performance.now() + Number(process.env.CWP_TEST_BLOCK_MS ?? "2500");
  while (performance.now() < until) {
    // busy: nothing else runs
  }
});
