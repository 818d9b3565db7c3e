/**
 * Secrets planted in the environment of every CLI the test suite starts (cleanEnv puts them there),
 * and used by test/e2e/secrets.test.ts in command arguments, URLs, headers and echoed error bodies.
 * No output of any CLI started by the suite may contain one: runCli and startCli check all of it.
 */
export const PLANTED_SECRETS: Readonly<Record<string, string>> = {
  CWP_TEST_ARG_SECRET: "argv-4b1f9e27c3",
  CWP_TEST_TOKEN: "token-8d2a6c05f1",
  CWP_TEST_PASSWORD: "passw-3e9b7d14a6",
  CWP_TEST_API_KEY: "apikey-61c0f8b2d9",
  CWP_TEST_NUMERIC_KEY: "7318264095517",
};

/** The planted secrets that occur in `text`, in any common spelling. */
export function leakedSecrets(text: string): string[] {
  return Object.values(PLANTED_SECRETS).filter(
    (secret) =>
      text.includes(secret) ||
      text.includes(encodeURIComponent(secret)) ||
      text.includes(Buffer.from(secret).toString("base64").slice(0, 12)),
  );
}

/** Throws when the output of a CLI run holds a planted secret. */
export function assertNoSecrets(output: string, what: string): void {
  const leaked = leakedSecrets(output);
  if (leaked.length > 0) {
    throw new Error(`${what} printed planted secrets (${leaked.join(", ")}):\n${output}`);
  }
}
