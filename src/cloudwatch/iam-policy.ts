/** The least-privilege IAM policy for a config: PutMetricData, only into the config's namespaces. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string;
  readonly Resource: "*";
  readonly Condition: { readonly StringEquals: { readonly "cloudwatch:namespace": readonly string[] } };
}

export interface IamPolicy {
  readonly Version: "2012-10-17";
  readonly Statement: readonly IamStatement[];
}

/**
 * PutMetricData has no resource-level permissions (Resource must be "*"); the `cloudwatch:namespace`
 * condition key is what narrows it.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
 */
export function iamPolicy(namespaces: Iterable<string>): IamPolicy {
  const sorted = [...new Set(namespaces)].sort();
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PublishCloudWatchMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": sorted } },
      },
    ],
  };
}
