/** A file that could not be read at all: a usage problem, not an invalid config. */
export class ConfigFileError extends Error {
  override name = "ConfigFileError";
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${reason}`, options);
  }
}
