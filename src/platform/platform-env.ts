/** The environment the platform settings are read from (process.env, or a test's own). */
export type PlatformEnv = Readonly<Record<string, string | undefined>>;
