/** The process exit codes, documented in the README; scripts and CI rely on them. */
export const ExitCode = {
  /** Everything worked: the config is valid, or every datum was accepted. */
  OK: 0,
  /** A config is invalid; the errors were printed. */
  INVALID_CONFIG: 1,
  /** The command line is wrong, or a named file does not exist or cannot be read. */
  USAGE: 2,
  /** `once`: a metric could not be read or a datum was not accepted by CloudWatch. */
  NOT_DELIVERED: 3,
  /**
   * `scrape`: the endpoint could not be scraped (no answer, not 2xx, too large a body, not exposition
   * text). The same number as NOT_DELIVERED: in both, what the command was to read could not be read.
   */
  UNREADABLE: 3,
  /**
   * `run`, `once`: another publisher holds the outbox directory and did not release it within 20 s
   * (sysexits' EX_TEMPFAIL: try again later, as an orchestrator's restart does).
   */
  OUTBOX_LOCKED: 75,
  /** A bug: an unexpected internal error (sysexits' EX_SOFTWARE). */
  INTERNAL: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
