/** The docker CLI for the container tests: its output and exit code, never a throw. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

/**
 * Every `docker run` gets AWS_EC2_METADATA_DISABLED=true: no container a test starts may reach the real
 * instance metadata address (169.254.169.254) for the region or the entity.
 */
export async function docker(...given: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const args =
    given[0] === "run" ? ["run", "-e", "AWS_EC2_METADATA_DISABLED=true", ...given.slice(1)] : given;
  try {
    const { stdout, stderr } = await exec("docker", args, { timeout: 120_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: typeof e.code === "number" ? e.code : -1 };
  }
}
