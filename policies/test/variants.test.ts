// Each policy rejects, with its message, a variant of a real stack that breaks it (one field changed, or a resource
// added that the C# program does not synthesize yet).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PolicyEngine } from "../harness/engine";
import { envConfig, judge } from "../harness/judge";
import { YamlProgram } from "../harness/program";
import { synth } from "../harness/synth";
import { add, addAnalytics, addEcsFleet, addSageMakerFleet, addSpendGuard, resource, route, routerConfig, statements } from "../harness/variants";

let engine: PolicyEngine;
before(async () => { engine = await PolicyEngine.start(); });
after(() => engine.stop());

// `override`: policy config entries replacing the environment's (the budget rule is advisory in today's configs).
interface Variant { policy: string; stack: string; env: string; change: (p: YamlProgram) => void; message: string; override?: Record<string, any> }
const fleet = { instanceType: "ml.inf2.xlarge", initialInstanceCount: 2, minCapacity: 2, maxCapacity: 10 };

const variants: Variant[] = [
  { policy: "fleet-instance-type-within-size-limit", stack: "prod", env: "prod",
    change: (p) => addSageMakerFleet(p, "prod", { ...fleet, instanceType: "ml.inf3.xlarge" }),
    message: "productionVariants[0].instanceType: instance type ml.inf3.xlarge is an accelerated family but not in the pack's instance table (policies/lib/instance-types.ts), so its size cannot be judged." },
  { policy: "fleet-instance-type-within-size-limit", stack: "staging", env: "staging",
    change: (p) => addEcsFleet(p, "staging", { instanceType: "trn1.32xlarge", minSize: 1, maxSize: 2, desiredCount: 1 }),
    message: "instanceType: instance type trn1.32xlarge has 16 x Trainium with 512 GiB accelerator memory; this environment allows at most 1 accelerators and 32 GiB per instance." },
  { policy: "fleet-instance-count-within-cap", stack: "prod", env: "prod",
    change: (p) => addSageMakerFleet(p, "prod", { ...fleet, maxCapacity: 11 }),
    message: "Scaling target maxCapacity is 11; this environment caps a fleet at 10 instances." },
  { policy: "fleet-instance-count-within-cap", stack: "staging", env: "staging",
    change: (p) => addEcsFleet(p, "staging", { instanceType: "inf2.xlarge", minSize: 1, maxSize: 2, desiredCount: 3 }),
    message: "ECS service desiredCount is 3; this environment caps a fleet at 2 instances." },
  { policy: "fleet-scales-in-to-baseline", stack: "prod", env: "prod",
    change: (p) => addSageMakerFleet(p, "prod", { ...fleet, minCapacity: 3 }),
    message: "fleet-scaling-target: minCapacity 3 keeps more than this environment's baseline of 2 instances running when idle." },
  { policy: "fleet-scales-in-to-baseline", stack: "prod", env: "prod",
    change: (p) => { addSageMakerFleet(p, "prod", fleet); delete p.resources["fleet-scaling-policy"]; delete p.resources["fleet-scaling-target"]; },
    message: "fleet-endpoint (aws:sagemaker/endpoint:Endpoint) has no scaling target (aws:appautoscaling/target:Target for namespace sagemaker): it runs at a fixed size around the clock." },
  { policy: "fleet-scales-in-to-baseline", stack: "prod", env: "prod",
    change: (p) => addSageMakerFleet(p, "prod", { ...fleet, disableScaleIn: true }),
    message: "fleet-scaling-target: no scaling policy scales in" },
  { policy: "fleet-scales-in-to-baseline", stack: "staging", env: "staging",
    change: (p) => addEcsFleet(p, "staging", { instanceType: "inf2.xlarge", minSize: 2, maxSize: 2, desiredCount: 2 }),
    message: "fleet-group: auto scaling group minSize 2 keeps more than this environment's baseline of 1 instances running when idle." },
  { policy: "bedrock-models-approved", stack: "staging", env: "staging",
    change: (p) => { route(p, "large").modelId = "anthropic.claude-3-7-sonnet-20250219-v1:0"; },
    message: "router route large (modelId): model anthropic.claude-3-7-sonnet-20250219-v1:0 reached end of life on Bedrock on 2026-04-28; calls to it fail. Move the route to its successor." },
  { policy: "bedrock-models-approved", stack: "prod", env: "prod",
    change: (p) => { resource(p, "bedrock-profile-support-bot-large").properties.modelSource.copyFrom = "arn:aws:bedrock:us-east-1:${accountId}:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0"; },
    message: "inference profile modelSource.copyFrom: model anthropic.claude-opus-4-1-20250805-v1:0 is legacy on Bedrock (end of life 2027-01-08). Move the route to its current successor." },
  { policy: "bedrock-models-approved", stack: "dev", env: "dev",
    change: (p) => { statements(p, "router-policy")[1].Resource.push("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"); },
    message: "policy statement InvokeConfiguredModels grants arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0: model amazon.nova-pro-v1:0 is size class medium, above this environment's small." },
  { policy: "bedrock-models-approved", stack: "prod", env: "prod",
    change: (p) => { add(p, "reserved-capacity", "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput", { provisionedModelName: "big", modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-5-20251101-v1:0", modelUnits: 1, commitmentDuration: "OneMonth" }); },
    message: "provisioned throughput modelArn: model anthropic.claude-opus-4-5-20251101-v1:0 is size class frontier, above this environment's large." },
  { policy: "bedrock-models-approved", stack: "dev", env: "dev",
    change: (p) => { add(p, "helper-agent", "aws:bedrock/agentAgent:AgentAgent", { agentName: "helper", agentResourceRoleArn: "${router-role.arn}", foundationModel: "anthropic.claude-3-5-haiku-20241022-v1:0" }); },
    message: "Bedrock agent foundationModel: model anthropic.claude-3-5-haiku-20241022-v1:0 reached end of life on Bedrock on 2026-06-19; calls to it fail." },
  { policy: "router-routes-cap-tokens", stack: "dev", env: "dev",
    change: (p) => { route(p, "medium").maxOutputTokens = 4096; },
    message: "Route medium allows maxOutputTokens 4096, above this environment's limit of 1024." },
  { policy: "router-routes-cap-tokens", stack: "staging", env: "staging",
    change: (p) => { delete route(p, "small").maxOutputTokens; },
    message: "Route small has no maxOutputTokens cap (got undefined): one request could run up an unbounded bill." },
  { policy: "router-routes-cap-tokens", stack: "prod", env: "prod",
    change: (p) => { delete routerConfig(p).limits.maxMessageChars; },
    message: "The router configuration has no request limit maxMessageChars (got undefined)." },
  { policy: "stack-has-budget-and-spend-alarms", stack: "prod", env: "prod",
    change: (p) => { delete resource(p, "budget-monthly").properties.notifications; },
    message: "The stack's budgets (budget-monthly) are not COST budgets with a limit and a notification, so none warns anyone." },
  { policy: "stack-has-budget-and-spend-alarms", stack: "staging", env: "staging",
    change: (p) => { for (const [name, r] of Object.entries(p.resources)) if (r.type === "aws:cloudwatch/metricAlarm:MetricAlarm") delete p.resources[name]; },
    message: "The stack spends (router-function) but has 0 CloudWatch metric alarm(s) with an action; this environment requires at least 2." },
  { policy: "athena-workgroup-limits-bytes-scanned", stack: "prod", env: "prod",
    change: (p) => addAnalytics(p, "prod", undefined),
    message: "Athena workgroup llm-cost-prod has no bytesScannedCutoffPerQuery: a query may scan (and bill) without limit." },
  { policy: "athena-workgroup-limits-bytes-scanned", stack: "dev", env: "dev",
    change: (p) => addAnalytics(p, "dev", 10737418240),
    message: "Athena workgroup llm-cost-dev allows 10737418240 bytes scanned per query, above this environment's 1073741824." },
  { policy: "log-groups-have-retention", stack: "dev", env: "dev",
    change: (p) => { delete resource(p, "router-logs").properties.retentionInDays; },
    message: "Log group /llm-cost/dev/router has no retention: its logs are kept and billed forever." },
  { policy: "log-groups-have-retention", stack: "staging", env: "staging",
    change: (p) => { resource(p, "gateway-access-logs").properties.retentionInDays = 90; },
    message: "Log group /llm-cost/staging/gateway-access keeps logs 90 days, above this environment's 30." },
  { policy: "s3-buckets-encrypted-and-private", stack: "prod", env: "prod",
    change: (p) => { addAnalytics(p, "prod", 1073741824); delete p.resources["usage-bucket-public-access"]; },
    message: "Bucket usage-bucket has no public access block." },
  { policy: "s3-buckets-encrypted-and-private", stack: "prod", env: "prod",
    change: (p) => { addAnalytics(p, "prod", 1073741824); resource(p, "usage-bucket-public-access").properties.blockPublicPolicy = false; },
    message: "Bucket usage-bucket: public access block usage-bucket-public-access leaves blockPublicPolicy unset or false. Set all four to true." },
  { policy: "s3-buckets-encrypted-and-private", stack: "staging", env: "staging",
    change: (p) => { addAnalytics(p, "staging", 1073741824); delete p.resources["usage-bucket-encryption"]; },
    message: "Bucket usage-bucket has no server-side encryption configuration." },
  { policy: "api-methods-require-authorization", stack: "prod", env: "prod",
    change: (p) => { const m = resource(p, "gateway-chat-post-method").properties; m.authorization = "NONE"; delete m.authorizerId; delete m.authorizationScopes; },
    message: "API method POST (gateway-chat-post-method) has authorization NONE: anyone who finds the URL can call it and spend." },
  { policy: "api-methods-require-authorization", stack: "staging", env: "staging",
    change: (p) => { add(p, "http-api", "aws:apigatewayv2/api:Api", { name: "llm-cost-staging-http", protocolType: "HTTP" });
      add(p, "http-chat-route", "aws:apigatewayv2/route:Route", { apiId: "${http-api.id}", routeKey: "POST /v1/chat/completions" }); },
    message: "API route POST /v1/chat/completions (http-chat-route) has authorizationType NONE (the default when unset)." },
  { policy: "iam-no-wildcard-model-access", stack: "staging", env: "staging",
    change: (p) => { const s = statements(p, "router-policy")[0]; s.NotAction = s.Action; delete s.Action; },
    message: "router-policy policy statement WriteOwnLogs is an Allow with NotAction/NotResource, which grants everything not listed (bedrock and sagemaker included)." },
  { policy: "iam-no-wildcard-model-access", stack: "dev", env: "dev",
    change: (p) => { statements(p, "router-policy")[1].Resource = "*"; },
    message: "router-policy policy statement InvokeConfiguredModels allows bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream on Resource \"*\": every model and endpoint, however large." },
  { policy: "iam-no-wildcard-model-access", stack: "prod", env: "prod",
    change: (p) => { statements(p, "router-policy")[2].Action = ["bedrock:*"]; },
    message: "router-policy policy statement InvokeModelsThroughCrossRegionProfiles allows bedrock:*: every Bedrock/SageMaker action, invocation included." },
  { policy: "iam-no-wildcard-model-access", stack: "account-nonprod", env: "staging",
    change: (p) => { resource(p, "apigateway-cloudwatch-policy").properties.policyArn = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"; },
    message: "apigateway-cloudwatch-policy attaches arn:aws:iam::aws:policy/AmazonBedrockFullAccess, which grants model invocation on every resource." },
  { policy: "lambda-environment-has-no-plaintext-secrets", stack: "staging", env: "staging",
    change: (p) => { resource(p, "router-function").properties.environment.variables.OPENAI_API_KEY = "sk-live-0123456789abcdefghijklmnop"; },
    message: "Lambda llm-cost-staging-router environment variable OPENAI_API_KEY looks like a secret held in clear." },
  { policy: "lambda-environment-has-no-plaintext-secrets", stack: "dev", env: "dev",
    change: (p) => { resource(p, "router-function").properties.environment.variables.UPSTREAM = "AKIAIOSFODNN7EXAMPLE"; },
    message: "Lambda llm-cost-dev-router environment variable UPSTREAM contains an AWS access key ID in clear." },
  { policy: "prompts-not-logged", stack: "staging", env: "staging",
    change: (p) => { routerConfig(p).logPrompts = true; },
    message: "The router logs prompt text (logPrompts: true) in an environment that forbids it. Set llm-cost:router.logPrompts: false." },
  { policy: "prompts-not-logged", stack: "prod", env: "prod",
    change: (p) => { resource(p, "gateway-throttling").properties.settings.dataTraceEnabled = true; },
    message: "API Gateway method settings gateway-throttling enable dataTraceEnabled, which logs whole request bodies (prompts) to CloudWatch." },
  { policy: "prompts-not-logged", stack: "account-prod", env: "prod",
    change: (p) => { resource(p, "bedrock-invocation-logging").properties.loggingConfig.textDataDeliveryEnabled = true; },
    message: "Bedrock model invocation logging delivers prompt and completion content (textDataDeliveryEnabled) in an environment that forbids it." },
];

describe("violating variants of the real stacks", () => {
  for (const v of variants) {
    it(`${v.policy} rejects ${v.stack} (${v.env} config): ${v.message.slice(0, 70)}`, async () => {
      const program = synth(v.stack);
      v.change(program);
      const ds = await judge(engine, program, v.stack, { ...envConfig(v.env), ...v.override });
      const hits = ds.filter((d) => d.policyName === v.policy && d.enforcementLevel === "mandatory" && d.message.includes(v.message));
      assert.equal(hits.length > 0, true, `expected ${v.policy} to say:\n  ${v.message}\ngot:\n  ${ds.map((d) => `${d.policyName} [${d.enforcementLevel}] ${d.message.split("\n").pop()}`).join("\n  ")}`);
      // One field changed: nothing else newly mandatory from other policies.
      const others = ds.filter((d) => d.policyName !== v.policy && d.enforcementLevel === "mandatory");
      assert.deepEqual(others.map((d) => d.policyName), []);
    });
  }

  it("every policy has at least one violating variant", async () => {
    const info = await engine.info();
    const covered = new Set(variants.map((v) => v.policy));
    assert.deepEqual(info.policies.map((p) => p.name).filter((n) => !covered.has(n)), []);
  });
});
