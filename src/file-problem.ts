/** Why a file could not be read, as the end of a sentence that starts with its path. */
export function fileProblem(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "EACCES":
      return "is not readable (permission denied)";
    case "EISDIR":
      return "is a directory, not a file";
    default:
      return `cannot be read (${(cause as Error).message})`;
  }
}
