/** Why a file could not be read, as the end of a sentence that starts with its path. */
export function fileProblem(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "EACCES":
    case "EPERM":
      return `is not readable (permission denied); ${permissionHint("read")}`;
    case "EISDIR":
      return "is a directory, not a file";
    default:
      return `cannot be read (${(cause as Error).message})`;
  }
}

/** The user this process runs as: 10001 in the image, which is what a mounted file must allow. */
function processUid(): string {
  return String(process.getuid?.() ?? "of this process");
}

/**
 * What to run to fix a permission error, naming the UID (in the image, 10001): files and folders
 * mounted from the host keep the host's owners and modes, which UID 10001 may not be allowed to use.
 */
export function permissionHint(access: "read" | "write"): string {
  const uid = processUid();
  return access === "read"
    ? `this process runs as UID ${uid}: make the file readable for it, e.g. chmod a+r on the host's file (or chown ${uid} it)`
    : `this process runs as UID ${uid}: give it the folder, e.g. chown -R ${uid}:${uid} on the host's folder (or chmod a+rwx it)`;
}

/** Whether an error is a refused permission, for which `permissionHint` says the fix. */
export function isPermissionError(cause: unknown): boolean {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code === "EACCES" || code === "EPERM" || code === "EROFS";
}
