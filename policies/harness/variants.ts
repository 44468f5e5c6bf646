// Changes to a real synthesized program, for the violating variants and for the resource types the C# program does
// not synthesize yet (fleet, spend guard, analytics). The added resources are written the way the program writes
// its own (Pulumi YAML, `${...}` references), so they go through the same evaluation as the real ones.
import { YamlProgram } from "./program";

type Props = Record<string, any>;

export function resource(program: YamlProgram, name: string): { type: string; properties: Props; options?: Props } {
  const r = program.resources[name];
  if (!r) throw new Error(`variant: the program has no resource ${name}`);
  return r as any;
}

/** The router configuration document (the fn::toJSON argument in the router function's environment). */
export function routerConfig(program: YamlProgram): Props {
  return resource(program, "router-function").properties.environment.variables.LLM_COST_ROUTER_CONFIG["fn::toJSON"];
}

export function route(program: YamlProgram, name: string): Props {
  const r = routerConfig(program).routes.find((x: Props) => x.name === name);
  if (!r) throw new Error(`variant: no route ${name}`);
  return r;
}

/** IAM statements of a policy resource written with fn::toJSON. */
export function statements(program: YamlProgram, name: string): Props[] {
  return resource(program, name).properties.policy["fn::toJSON"].Statement;
}

export function add(program: YamlProgram, name: string, type: string, properties: Props, options?: Props): YamlProgram {
  if (program.resources[name]) throw new Error(`variant: ${name} exists already`);
  program.resources[name] = { type, properties, ...(options ? { options } : {}) };
  return program;
}

export interface FleetShape { instanceType: string; initialInstanceCount: number; minCapacity: number; maxCapacity: number; disableScaleIn?: boolean }

/** A SageMaker real-time endpoint with Application Auto Scaling, as the fleet component is to deploy it. */
export function addSageMakerFleet(program: YamlProgram, stack: string, shape: FleetShape): YamlProgram {
  // A stack that already has its real fleet (prod) gets this one instead: the variant states the whole shape.
  for (const name of Object.keys(program.resources)) if (name === "fleet" || name.startsWith("fleet-")) delete program.resources[name];
  for (const [name, value] of Object.entries(program.outputs ?? {})) if (JSON.stringify(value).includes("${fleet")) delete program.outputs![name];
  add(program, "fleet-role", "aws:iam/role:Role", {
    assumeRolePolicy: { "fn::toJSON": { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] } },
  });
  add(program, "fleet-model", "aws:sagemaker/model:Model", {
    name: `llm-cost-${stack}-small`,
    executionRoleArn: "${fleet-role.arn}",
    primaryContainer: { image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-neuronx-sdk2.19.1", environment: { HF_MODEL_ID: "meta-llama/Llama-3.1-8B-Instruct" } },
  });
  add(program, "fleet-endpoint-config", "aws:sagemaker/endpointConfiguration:EndpointConfiguration", {
    name: `llm-cost-${stack}-small`,
    productionVariants: [{ variantName: "AllTraffic", modelName: "${fleet-model.name}", instanceType: shape.instanceType, initialInstanceCount: shape.initialInstanceCount }],
  });
  add(program, "fleet-endpoint", "aws:sagemaker/endpoint:Endpoint", { name: `llm-cost-${stack}-small`, endpointConfigName: "${fleet-endpoint-config.name}" });
  add(program, "fleet-scaling-target", "aws:appautoscaling/target:Target", {
    serviceNamespace: "sagemaker",
    scalableDimension: "sagemaker:variant:DesiredInstanceCount",
    resourceId: "endpoint/${fleet-endpoint.name}/variant/AllTraffic",
    minCapacity: shape.minCapacity,
    maxCapacity: shape.maxCapacity,
  });
  add(program, "fleet-scaling-policy", "aws:appautoscaling/policy:Policy", {
    name: `llm-cost-${stack}-small-invocations`,
    policyType: "TargetTrackingScaling",
    serviceNamespace: "${fleet-scaling-target.serviceNamespace}",
    scalableDimension: "${fleet-scaling-target.scalableDimension}",
    resourceId: "${fleet-scaling-target.resourceId}",
    targetTrackingScalingPolicyConfiguration: {
      targetValue: 70,
      predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
      scaleInCooldown: 300,
      scaleOutCooldown: 60,
      ...(shape.disableScaleIn !== undefined ? { disableScaleIn: shape.disableScaleIn } : {}),
    },
  });
  return program;
}

/** ECS on EC2 inf2: launch template, auto scaling group, cluster, service, service scaling. */
export function addEcsFleet(program: YamlProgram, stack: string, shape: { instanceType: string; minSize: number; maxSize: number; desiredCount: number }): YamlProgram {
  add(program, "fleet-launch-template", "aws:ec2/launchTemplate:LaunchTemplate", { namePrefix: `llm-cost-${stack}-`, imageId: "ami-0123456789abcdef0", instanceType: shape.instanceType });
  add(program, "fleet-group", "aws:autoscaling/group:Group", {
    minSize: shape.minSize, maxSize: shape.maxSize, availabilityZones: ["us-east-1a"],
    launchTemplate: { id: "${fleet-launch-template.id}", version: "$Latest" },
  });
  add(program, "fleet-cluster", "aws:ecs/cluster:Cluster", { name: `llm-cost-${stack}` });
  add(program, "fleet-service", "aws:ecs/service:Service", { name: `llm-cost-${stack}-small`, cluster: "${fleet-cluster.arn}", desiredCount: shape.desiredCount, taskDefinition: "llm:1" });
  add(program, "fleet-service-scaling-target", "aws:appautoscaling/target:Target", {
    serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount",
    resourceId: "service/${fleet-cluster.name}/${fleet-service.name}", minCapacity: shape.minSize, maxCapacity: shape.maxSize,
  });
  add(program, "fleet-service-scaling-policy", "aws:appautoscaling/policy:Policy", {
    name: `llm-cost-${stack}-small-cpu`, policyType: "TargetTrackingScaling",
    serviceNamespace: "${fleet-service-scaling-target.serviceNamespace}", scalableDimension: "${fleet-service-scaling-target.scalableDimension}",
    resourceId: "${fleet-service-scaling-target.resourceId}",
    targetTrackingScalingPolicyConfiguration: { targetValue: 60, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } },
  });
  return program;
}

/** An AWS Budget with a notification and a spend alarm with an action: the spend-guard issue's resources. */
export function addSpendGuard(program: YamlProgram, stack: string): YamlProgram {
  add(program, "spend-alerts", "aws:sns/topic:Topic", { name: `llm-cost-${stack}-spend` });
  add(program, "spend-budget", "aws:budgets/budget:Budget", {
    name: `llm-cost-${stack}`, budgetType: "COST", limitAmount: "8000", limitUnit: "USD", timeUnit: "MONTHLY",
    notifications: [{ comparisonOperator: "GREATER_THAN", threshold: 80, thresholdType: "PERCENTAGE", notificationType: "FORECASTED", subscriberSnsTopicArns: ["${spend-alerts.arn}"] }],
  });
  add(program, "spend-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", {
    name: `llm-cost-${stack}-hourly-spend`, namespace: "LlmCost", metricName: "CostUsd", statistic: "Sum", period: 3600,
    evaluationPeriods: 1, threshold: 25, comparisonOperator: "GreaterThanThreshold", alarmActions: ["${spend-alerts.arn}"],
  });
  return program;
}

/** The analytics issue's S3 bucket (private, encrypted) and Athena workgroup (with a bytes-scanned cutoff). */
export function addAnalytics(program: YamlProgram, stack: string, cutoffBytes: number | undefined): YamlProgram {
  add(program, "usage-bucket", "aws:s3/bucket:Bucket", { bucket: `llm-cost-${stack}-usage-123456789012` });
  add(program, "usage-bucket-public-access", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
    bucket: "${usage-bucket.id}", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  add(program, "usage-bucket-encryption", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", {
    bucket: "${usage-bucket.id}", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
  });
  add(program, "usage-workgroup", "aws:athena/workgroup:Workgroup", {
    name: `llm-cost-${stack}`,
    configuration: {
      enforceWorkgroupConfiguration: true,
      ...(cutoffBytes !== undefined ? { bytesScannedCutoffPerQuery: cutoffBytes } : {}),
      resultConfiguration: { outputLocation: "s3://${usage-bucket.bucket}/athena/" },
    },
  });
  return program;
}
