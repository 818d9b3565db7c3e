/**
 * The one place that sorts a failed PutMetricData call into what can be done about it. Delivery acts
 * on the kind; the log line carries the hint. Abandoning a request (a shutdown deadline) is not an
 * answer from CloudWatch, so it is not classified here: the sender knows it aborted.
 */

/**
 * invalid: CloudWatch refused a datum in the request (find it, drop it, send the rest);
 * tooLarge: CloudWatch refused the request for its size (split it, send the halves);
 * credentials: the credentials are missing, wrong, expired or may not publish (keep the datums; say how to fix it);
 * transient: network, timeout, 5xx, throttling (keep the datums, retry later).
 */
export type ErrorKind = "invalid" | "tooLarge" | "credentials" | "transient";

export interface Classification {
  readonly kind: ErrorKind;
  /** What to do about it, for the log line; set for credentials. */
  readonly hint?: string;
}

/** HTTP 413 Request Entity Too Large: the body passed PutMetricData's 1 MB. */
const TOO_LARGE_STATUS = 413;

/**
 * Error codes with which CloudWatch refuses the request itself: resending it cannot succeed.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html#API_PutMetricData_Errors
 */
const INVALID = new Set([
  "InvalidParameterValueException",
  "InvalidParameterValue",
  "InvalidParameterCombinationException",
  "InvalidParameterCombination",
  "MissingRequiredParameterException",
  "MissingParameter",
]);

const MAY_NOT_PUBLISH =
  "the credentials may not call cloudwatch:PutMetricData for this namespace; see `cloudwatch-publisher iam-policy`";
const EXPIRED = "the session token has expired; refresh the credentials";

/**
 * Credential and permission errors, with what to do about each.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
 */
export const CREDENTIAL_ERROR_HINTS: Readonly<Record<string, string>> = {
  AccessDenied: MAY_NOT_PUBLISH,
  AccessDeniedException: MAY_NOT_PUBLISH,
  InvalidClientTokenId: "the access key ID does not exist; check AWS_ACCESS_KEY_ID or the profile",
  UnrecognizedClientException: "the access key ID or session token is not recognised; check the credentials",
  SignatureDoesNotMatch:
    "the secret access key does not match the key ID, or the clock is off; check AWS_SECRET_ACCESS_KEY and the system time",
  ExpiredToken: EXPIRED,
  ExpiredTokenException: EXPIRED,
  IncompleteSignature: "the request signature is incomplete; check the credentials",
  MissingAuthenticationToken: "no credentials were sent; check the credentials",
  CredentialsProviderError:
    "no AWS credentials were found; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a task/instance role",
};

export function classify(error: Error): Classification {
  if (INVALID.has(error.name)) return { kind: "invalid" };
  const hint = CREDENTIAL_ERROR_HINTS[error.name];
  if (hint !== undefined) return { kind: "credentials", hint };
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === TOO_LARGE_STATUS || /TooLarge/i.test(error.name)) return { kind: "tooLarge" };
  return { kind: "transient" };
}
