/**
 * How long resolving the platform identity may take. Metadata endpoints answer in milliseconds on the
 * platform and not at all elsewhere, so each try is short, a few tries ride out a hiccup, and one deadline
 * bounds the whole resolution whatever happens underneath.
 *
 * Bound: resolveIdentity() and regionFromPlatform() settle within PLATFORM_DEADLINE_MS (3 s) of being
 * called. EC2 (token, then the documents in parallel) and ECS (documents in parallel) run side by side
 * under that one deadline; what has not answered by then is unresolved, with the place it was asked.
 * A try already on the wire when the deadline passes ends within its own METADATA_TRY_TIMEOUT_MS.
 */

/** One HTTP try (connect and answer); the SDK's IMDS credential provider allows 1000 ms. */
export const METADATA_TRY_TIMEOUT_MS = 800;

/** Tries per request: the first and two retries (network errors, time-outs, 5xx, 429). */
export const METADATA_TRIES = 3;

/** Pause between two tries of one request. */
export const METADATA_RETRY_DELAY_MS = 100;

/** The whole resolution, every endpoint and every try included. */
export const PLATFORM_DEADLINE_MS = 3000;

/**
 * Lifetime of the IMDSv2 session token (x-aws-ec2-metadata-token-ttl-seconds): it is used only during
 * the resolution, so a minute is plenty (IMDS accepts 1 to 21,600 seconds).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
 */
export const IMDS_TOKEN_TTL_SECONDS = 60;
