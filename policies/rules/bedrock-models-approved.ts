// Oversized or unapproved models: every Bedrock model the stack can reach (router routes, inference profiles,
// provisioned throughput, agents, custom models, IAM grants) must be on the environment's allowed list, within its size class, and not
// legacy or past end of life.
import * as bedrock from "@pulumi/aws/bedrock";
import * as lambda from "@pulumi/aws/lambda";
import { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { BEDROCK_MODELS, lifecycleOn, modelIdOf, SIZE_CLASSES, SizeClass } from "../lib/bedrock-models";
import { limitsOf } from "../lib/config";
import { IAM_POLICY_TYPES, policyDocumentsOf, statementsOf } from "../lib/iam";
import { routerConfigOf } from "../lib/router-config";

interface Limits { allowedModels: string[]; maxSizeClass: SizeClass; allowLegacy: boolean; today?: string }

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedModels: { type: "array", items: { type: "string" }, default: [], description: "Bedrock model IDs (without geography prefix) this environment may use." },
    maxSizeClass: { type: "string", enum: [...SIZE_CLASSES], default: "small", description: "Largest size class allowed (small < medium < large < frontier; see policies/lib/bedrock-models.ts)." },
    allowLegacy: { type: "boolean", default: false, description: "Allow models AWS has marked legacy (never those past end of life)." },
    today: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Judge lifecycle as of this date instead of today (for reproducible runs)." },
  },
};

function judgeModel(identifier: unknown, where: string, limits: Limits, report: ReportViolation): void {
  if (typeof identifier !== "string") return;
  const id = modelIdOf(identifier);
  if (id === undefined) return;
  const model = BEDROCK_MODELS[id];
  if (!model) {
    report(`${where}: model ${id} is not in the pack's Bedrock model table (policies/lib/bedrock-models.ts), so its size and lifecycle cannot be judged. ` +
      `Use an approved model (${limits.allowedModels.join(", ") || "none configured"}) or add it to the table.`);
    return;
  }
  const today = limits.today ?? new Date().toISOString().slice(0, 10);
  const lifecycle = lifecycleOn(model, today);
  if (lifecycle.state === "end-of-life") {
    report(`${where}: model ${id} reached end of life on Bedrock on ${lifecycle.endOfLifeDate}; calls to it fail. Move the route to its successor.`);
  } else if (lifecycle.state === "legacy" && !limits.allowLegacy) {
    report(`${where}: model ${id} is legacy on Bedrock${lifecycle.endOfLifeDate ? ` (end of life ${lifecycle.endOfLifeDate})` : ""}. Move the route to its current successor.`);
  }
  if (SIZE_CLASSES.indexOf(model.sizeClass) > SIZE_CLASSES.indexOf(limits.maxSizeClass)) {
    report(`${where}: model ${id} is size class ${model.sizeClass}, above this environment's ${limits.maxSizeClass}. ` +
      `Use a ${limits.maxSizeClass} model or raise maxSizeClass in this environment's policy config.`);
  }
  if (!limits.allowedModels.includes(id)) {
    report(`${where}: model ${id} is not on this environment's allowed list (${limits.allowedModels.join(", ") || "empty"}). ` +
      `Use an allowed model or add it to allowedModels in this environment's policy config.`);
  }
}

const limitsFor = (args: { getConfig<T extends object>(): T }) => limitsOf<Limits>(configSchema, args.getConfig<Limits>());

// Invocation-type actions: a grant of these on a model ARN is access to that model.
const grantsModelAccess = (action: string) => /^bedrock:(invoke|converse|\*|createmodelinvocationjob)/i.test(action) || action === "*";

function validateIam(args: ResourceValidationArgs, report: ReportViolation): void {
  if (!IAM_POLICY_TYPES.includes(args.type)) return args.notApplicable(`Policy only applies to IAM policy documents`);
  const limits = limitsFor(args);
  for (const { where, document } of policyDocumentsOf(args.type, args.props)) {
    for (const [i, s] of statementsOf(document).entries()) {
      if (s.effect !== "Allow" || !s.actions.some(grantsModelAccess)) continue;
      s.resources.forEach((resource) => judgeModel(resource, `${where} statement ${s.sid ?? i} grants ${resource}`, limits, report));
    }
  }
}

export const bedrockModelsApproved: ResourceValidationPolicy = {
  name: "bedrock-models-approved",
  description: "Bedrock models reached by router routes, inference profiles, provisioned throughput, agents, custom models and IAM grants must be on the environment's allowed list, within its size class, and neither legacy nor past end of life. Fix: change llm-cost:routes[i].model to an allowed model, or edit allowedModels/maxSizeClass in policies/<env>.json.",
  configSchema,
  validateResource: [
    validateResourceOfType(lambda.Function, (fn, args, report) => {
      const parsed = routerConfigOf(fn as any);
      if (!parsed) return args.notApplicable("Not the router function");
      if (!parsed.ok) return report(parsed.error);
      const limits = limitsFor(args);
      for (const route of parsed.config.routes) {
        if (route.backend !== "bedrock") continue;
        judgeModel(route.modelId, `router route ${route.name} (modelId)`, limits, report);
        if (modelIdOf(route.invokeId) !== modelIdOf(route.modelId)) judgeModel(route.invokeId, `router route ${route.name} (invokeId)`, limits, report);
      }
    }),
    validateResourceOfType(bedrock.InferenceProfile, (profile, args, report) => {
      judgeModel(profile.modelSource?.copyFrom, "inference profile modelSource.copyFrom", limitsFor(args), report);
    }),
    validateResourceOfType(bedrock.ProvisionedModelThroughput, (throughput, args, report) => {
      judgeModel(throughput.modelArn, "provisioned throughput modelArn", limitsFor(args), report);
    }),
    validateResourceOfType(bedrock.AgentAgent, (agent, args, report) => {
      judgeModel(agent.foundationModel, "Bedrock agent foundationModel", limitsFor(args), report);
    }),
    validateResourceOfType(bedrock.CustomModel, (model, args, report) => {
      judgeModel(model.baseModelIdentifier, "custom model baseModelIdentifier", limitsFor(args), report);
    }),
    validateIam,
  ],
};
