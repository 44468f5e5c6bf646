// Always-on spend: a fleet that cannot scale, keeps more than the environment's baseline running, or never scales in.
import { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { limitsOf } from "../lib/config";
import { ifKnown, refersTo } from "../lib/links";

interface Limits { maxBaselineInstances: number }

const configSchema: PolicyConfigSchema = {
  properties: {
    maxBaselineInstances: { type: "integer", minimum: 0, default: 1, description: "Most instances a fleet may keep running when idle (scaling minimum)." },
  },
};

const T = {
  endpoint: "aws:sagemaker/endpoint:Endpoint",
  service: "aws:ecs/service:Service",
  target: "aws:appautoscaling/target:Target",
  policy: "aws:appautoscaling/policy:Policy",
  group: "aws:autoscaling/group:Group",
};

/** Does this scaling policy ever remove capacity? */
function scalesIn(policy: PolicyResource): boolean {
  const p = policy.props as any;
  const type = p.policyType ?? "StepScaling";
  if (type === "TargetTrackingScaling") return p.targetTrackingScalingPolicyConfiguration?.disableScaleIn !== true;
  if (type === "StepScaling") {
    const steps = p.stepScalingPolicyConfiguration?.stepAdjustments ?? [];
    const adjustment = p.stepScalingPolicyConfiguration?.adjustmentType;
    return steps.some((s: any) => adjustment === "ExactCapacity" || Number(s.scalingAdjustment) < 0);
  }
  return true; // PredictiveScaling and others scale both ways
}

export const fleetScalesInToBaseline: StackValidationPolicy = {
  name: "fleet-scales-in-to-baseline",
  description: "Every fleet (SageMaker endpoint, ECS service, EC2 auto scaling group) must have a scaling target whose minimum is at most the environment's baseline and a scaling policy that scales in. Fix: add an aws:appautoscaling Target and a target-tracking Policy without disableScaleIn, and lower llm-cost:fleet.baselineInstances or the minimum.",
  configSchema,
  validateStack: (args, report) => {
    const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
    const of = (type: string) => args.resources.filter((r) => r.type === type);
    const targets = of(T.target);
    const policies = of(T.policy);

    const fleets = [...of(T.endpoint).map((r) => ({ r, namespace: "sagemaker" })), ...of(T.service).map((r) => ({ r, namespace: "ecs" }))];
    for (const { r, namespace } of fleets) {
      const own = targets.filter((t) => refersTo(t, r, "resourceId") ||
        (ifKnown(() => (t.props as any).serviceNamespace) === namespace && String(ifKnown(() => (t.props as any).resourceId) ?? "").includes(`/${ifKnown(() => (r.props as any).name) ?? "\u0000"}`)));
      if (own.length === 0) {
        report(`${r.name} (${r.type}) has no scaling target (aws:appautoscaling/target:Target for namespace ${namespace}): it runs at a fixed size around the clock. ` +
          `Add a scaling target with minCapacity at most ${limits.maxBaselineInstances} and a scaling policy.`, r.urn);
      }
    }

    for (const target of targets) {
      const t = target.props as any;
      if (typeof t.minCapacity === "number" && t.minCapacity > limits.maxBaselineInstances) {
        report(`${target.name}: minCapacity ${t.minCapacity} keeps more than this environment's baseline of ${limits.maxBaselineInstances} instances running when idle. ` +
          `Lower llm-cost:fleet.baselineInstances (the scaling minimum) or raise maxBaselineInstances in this environment's policy config.`, target.urn);
      }
      const own = policies.filter((p) => refersTo(p, target) ||
        (ifKnown(() => (p.props as any).resourceId) !== undefined && ifKnown(() => (p.props as any).resourceId) === ifKnown(() => t.resourceId)));
      if (own.length === 0) {
        report(`${target.name}: scaling target has no scaling policy, so the fleet never scales. Add an aws:appautoscaling/policy:Policy (target tracking) for it.`, target.urn);
      } else if (!own.some(scalesIn)) {
        report(`${target.name}: no scaling policy scales in (target tracking with disableScaleIn, or step scaling without a negative step), so capacity added at peak is paid for until someone removes it. ` +
          `Allow scale-in on the scaling policy.`, target.urn);
      }
    }

    for (const group of of(T.group)) {
      const g = group.props as any;
      if (typeof g.minSize === "number" && g.minSize > limits.maxBaselineInstances) {
        report(`${group.name}: auto scaling group minSize ${g.minSize} keeps more than this environment's baseline of ${limits.maxBaselineInstances} instances running when idle. ` +
          `Lower minSize or raise maxBaselineInstances in this environment's policy config.`, group.urn);
      }
    }
  },
};
