// Oversized fleet: an instance type whose accelerators or accelerator memory exceed what the environment allows.
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as sagemaker from "@pulumi/aws/sagemaker";
import { PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";
import { judgeInstanceType } from "../lib/instance-types";

interface Limits { maxAccelerators: number; maxAcceleratorMemoryGiB: number }

const configSchema: PolicyConfigSchema = {
  properties: {
    maxAccelerators: { type: "integer", minimum: 0, default: 1, description: "Most accelerators (chips or GPUs) one instance may carry." },
    maxAcceleratorMemoryGiB: { type: "number", minimum: 0, default: 32, description: "Most accelerator memory one instance may carry, in GiB." },
  },
};

function judge(instanceType: unknown, where: string, limits: Limits, report: ReportViolation): void {
  if (typeof instanceType !== "string") return;
  const verdict = judgeInstanceType(instanceType);
  if (verdict.kind === "not-accelerated") return;
  if (verdict.kind === "unknown-accelerated") {
    report(`${where}: instance type ${instanceType} is an accelerated family but not in the pack's instance table ` +
      `(policies/lib/instance-types.ts), so its size cannot be judged. Add it there with its accelerators and memory, or use a listed type.`);
    return;
  }
  const { accelerators, acceleratorMemoryGiB, accelerator } = verdict.spec;
  if (accelerators > limits.maxAccelerators || acceleratorMemoryGiB > limits.maxAcceleratorMemoryGiB) {
    report(`${where}: instance type ${instanceType} has ${accelerators} x ${accelerator} with ${acceleratorMemoryGiB} GiB accelerator memory; ` +
      `this environment allows at most ${limits.maxAccelerators} accelerators and ${limits.maxAcceleratorMemoryGiB} GiB per instance. ` +
      `Choose a smaller instance type (e.g. ml.inf2.xlarge / inf2.xlarge) or raise maxAccelerators/maxAcceleratorMemoryGiB in this environment's policy config.`);
  }
}

export const fleetInstanceTypeWithinSizeLimit: ResourceValidationPolicy = {
  name: "fleet-instance-type-within-size-limit",
  description: "Fleet instances (SageMaker ml.*, EC2 inf1/inf2/trn/GPU types) may not exceed the environment's accelerators or accelerator memory per instance, judged from the pack's instance table. Fix: pick a smaller instance type, or raise the limits in policies/<env>.json.",
  configSchema,
  validateResource: [
    validateResourceOfType(sagemaker.EndpointConfiguration, (config, args, report) => {
      const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
      (config.productionVariants ?? []).forEach((v, i) => judge(v.instanceType, `productionVariants[${i}].instanceType`, limits, report));
      (config.shadowProductionVariants ?? []).forEach((v, i) => judge(v.instanceType, `shadowProductionVariants[${i}].instanceType`, limits, report));
    }),
    validateResourceOfType(ec2.LaunchTemplate, (template, args, report) => {
      judge(template.instanceType, "instanceType", limitsOf<Limits>(configSchema, args.getConfig<Limits>()), report);
    }),
    validateResourceOfType(ec2.Instance, (instance, args, report) => {
      judge(instance.instanceType, "instanceType", limitsOf<Limits>(configSchema, args.getConfig<Limits>()), report);
    }),
    validateResourceOfType(autoscaling.Group, (group, args, report) => {
      const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
      (group.mixedInstancesPolicy?.launchTemplate?.overrides ?? []).forEach((o, i) =>
        judge(o.instanceType, `mixedInstancesPolicy.launchTemplate.overrides[${i}].instanceType`, limits, report));
    }),
  ],
};
