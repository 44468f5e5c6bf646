// Unwatched spend in logs: a log group without retention keeps (and bills) every line forever.
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";

interface Limits { maxRetentionDays: number }

const configSchema: PolicyConfigSchema = {
  properties: {
    maxRetentionDays: { type: "integer", minimum: 1, default: 30, description: "Longest retention a log group may have, in days." },
  },
};

export const logGroupsHaveRetention: ResourceValidationPolicy = {
  name: "log-groups-have-retention",
  description: "CloudWatch log groups must set retentionInDays (0 or unset means forever) at or below the environment's maxRetentionDays. Fix: set llm-cost:router.logRetentionDays / llm-cost:gateway.accessLogRetentionDays (or retentionInDays) within the limit.",
  configSchema,
  validateResource: validateResourceOfType(cloudwatch.LogGroup, (group, args, report) => {
    const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
    const days = group.retentionInDays;
    if (typeof days !== "number" || days <= 0) {
      report(`Log group ${group.name ?? args.name} has no retention: its logs are kept and billed forever. Set retentionInDays (at most ${limits.maxRetentionDays}).`);
    } else if (days > limits.maxRetentionDays) {
      report(`Log group ${group.name ?? args.name} keeps logs ${days} days, above this environment's ${limits.maxRetentionDays}. Lower retentionInDays or raise maxRetentionDays in this environment's policy config.`);
    }
  }),
};
