// Oversized fleet by count: a scaling maximum, group size or desired count above the environment's cap.
import * as appautoscaling from "@pulumi/aws/appautoscaling";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ecs from "@pulumi/aws/ecs";
import * as sagemaker from "@pulumi/aws/sagemaker";
import { PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";

interface Limits { maxInstances: number }

const configSchema: PolicyConfigSchema = {
  properties: {
    maxInstances: { type: "integer", minimum: 0, default: 1, description: "Most instances (or ECS tasks) one fleet may scale to." },
  },
};

function cap(value: unknown, what: string, limits: Limits, report: ReportViolation): void {
  if (typeof value === "number" && value > limits.maxInstances) {
    report(`${what} is ${value}; this environment caps a fleet at ${limits.maxInstances} instances. ` +
      `Lower it to ${limits.maxInstances} or less (llm-cost:fleet.maxInstances in the stack), or raise maxInstances in this environment's policy config.`);
  }
}

export const fleetInstanceCountWithinCap: ResourceValidationPolicy = {
  name: "fleet-instance-count-within-cap",
  description: "Fleet sizes (Application Auto Scaling maxCapacity, auto scaling group maxSize/desiredCapacity, ECS desiredCount, SageMaker initialInstanceCount) may not exceed the environment's maxInstances. Fix: lower llm-cost:fleet.maxInstances, or raise maxInstances in policies/<env>.json.",
  configSchema,
  validateResource: [
    validateResourceOfType(appautoscaling.Target, (target, args, report) => {
      cap(target.maxCapacity, "Scaling target maxCapacity", limitsOf<Limits>(configSchema, args.getConfig<Limits>()), report);
    }),
    validateResourceOfType(autoscaling.Group, (group, args, report) => {
      const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
      cap(group.maxSize, "Auto scaling group maxSize", limits, report);
      cap(group.desiredCapacity, "Auto scaling group desiredCapacity", limits, report);
    }),
    validateResourceOfType(ecs.Service, (service, args, report) => {
      cap(service.desiredCount, "ECS service desiredCount", limitsOf<Limits>(configSchema, args.getConfig<Limits>()), report);
    }),
    validateResourceOfType(sagemaker.EndpointConfiguration, (config, args, report) => {
      const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
      (config.productionVariants ?? []).forEach((v, i) => cap(v.initialInstanceCount, `productionVariants[${i}].initialInstanceCount`, limits, report));
    }),
  ],
};
