// Unwatched spend in analytics: Athena bills per byte scanned; a workgroup without a per-query cutoff (or one that
// lets clients override it) lets one bad query scan the whole usage bucket.
import * as athena from "@pulumi/aws/athena";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";

interface Limits { maxBytesScannedPerQuery: number }

const configSchema: PolicyConfigSchema = {
  properties: {
    maxBytesScannedPerQuery: { type: "integer", minimum: 10485760, default: 10737418240, description: "Largest per-query bytes-scanned cutoff (Athena's minimum is 10 MB)." },
  },
};

export const athenaWorkgroupLimitsBytesScanned: ResourceValidationPolicy = {
  name: "athena-workgroup-limits-bytes-scanned",
  description: "Athena workgroups must set configuration.bytesScannedCutoffPerQuery at or below the environment's limit and enforce the workgroup configuration. Fix: set bytesScannedCutoffPerQuery and enforceWorkgroupConfiguration: true.",
  configSchema,
  validateResource: validateResourceOfType(athena.Workgroup, (workgroup, args, report) => {
    const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
    const cutoff = workgroup.configuration?.bytesScannedCutoffPerQuery;
    if (typeof cutoff !== "number") {
      report(`Athena workgroup ${workgroup.name ?? args.name} has no bytesScannedCutoffPerQuery: a query may scan (and bill) without limit. Set configuration.bytesScannedCutoffPerQuery to at most ${limits.maxBytesScannedPerQuery}.`);
    } else if (cutoff > limits.maxBytesScannedPerQuery) {
      report(`Athena workgroup ${workgroup.name ?? args.name} allows ${cutoff} bytes scanned per query, above this environment's ${limits.maxBytesScannedPerQuery}. Lower configuration.bytesScannedCutoffPerQuery.`);
    }
    if (workgroup.configuration?.enforceWorkgroupConfiguration === false) {
      report(`Athena workgroup ${workgroup.name ?? args.name} sets enforceWorkgroupConfiguration: false, so clients can override the bytes-scanned cutoff. Remove it or set it to true.`);
    }
  }),
};
