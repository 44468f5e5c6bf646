// Security: wildcard grants on the services that spend per call. bedrock:* / sagemaker:* on anything, or an invoke
// action on Resource "*", lets the holder run any model, however large.
import { PolicyConfigSchema, ResourceValidationArgs, ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { limitsOf } from "../lib/config";
import { actionCovers, IAM_POLICY_TYPES, policyDocumentsOf, statementsOf } from "../lib/iam";
import { ifKnown } from "../lib/links";

interface Limits { forbiddenManagedPolicies: string[] }

const configSchema: PolicyConfigSchema = {
  properties: {
    forbiddenManagedPolicies: {
      type: "array", items: { type: "string" },
      default: ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/AmazonBedrockFullAccess", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"],
      description: "AWS managed policies that grant model access on every resource and may not be attached.",
    },
  },
};

const serviceWildcards = ["*", "bedrock:*", "sagemaker:*"];
const invokeActions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:Converse", "bedrock:ConverseStream", "sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync", "sagemaker:InvokeEndpointWithResponseStream"];
const allResources = (r: string) => r === "*" || /^arn:aws[a-z-]*:(bedrock|sagemaker):\*?:\*?:\*$/.test(r);
const attachmentTypes = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"];

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
  if (attachmentTypes.includes(args.type)) {
    const arn = ifKnown(() => (args.props as any).policyArn);
    if (typeof arn === "string" && limits.forbiddenManagedPolicies.includes(arn)) {
      report(`${args.name} attaches ${arn}, which grants model invocation on every resource. Grant only the actions and model ARNs needed (as the router role does).`);
    }
    return;
  }
  if (!IAM_POLICY_TYPES.includes(args.type)) return args.notApplicable("Policy only applies to IAM policies and attachments");
  const managed = args.type === "aws:iam/role:Role" ? ifKnown(() => (args.props as any).managedPolicyArns) ?? [] : [];
  for (const arn of managed) {
    if (limits.forbiddenManagedPolicies.includes(arn)) report(`${args.name} managedPolicyArns includes ${arn}, which grants model invocation on every resource. Grant only what is needed.`);
  }
  for (const { where, document } of policyDocumentsOf(args.type, args.props)) {
    for (const [i, s] of statementsOf(document).entries()) {
      if (s.effect !== "Allow") continue;
      const at = `${args.name} ${where} statement ${s.sid ?? i}`;
      if (s.notActions.length > 0 || s.notResources.length > 0) {
        report(`${at} is an Allow with NotAction/NotResource, which grants everything not listed (bedrock and sagemaker included). List the allowed actions and resources instead.`);
      }
      const wild = s.actions.filter((a) => serviceWildcards.some((w) => w.toLowerCase() === a.toLowerCase()));
      if (wild.length > 0) {
        report(`${at} allows ${wild.join(", ")}: every Bedrock/SageMaker action, invocation included. Name the actions needed (e.g. bedrock:InvokeModel).`);
        continue;
      }
      const invokes = invokeActions.filter((action) => s.actions.some((a) => actionCovers(a, action)));
      if (invokes.length > 0 && s.resources.some(allResources)) {
        report(`${at} allows ${invokes.join(", ")} on Resource "*": every model and endpoint, however large. List the model or endpoint ARNs instead.`);
      }
    }
  }
}

export const iamNoWildcardModelAccess: ResourceValidationPolicy = {
  name: "iam-no-wildcard-model-access",
  description: "IAM policies may not allow bedrock:*, sagemaker:* or *, invoke actions (bedrock:InvokeModel*, Converse*, sagemaker:InvokeEndpoint*) on Resource \"*\", Allow with NotAction/NotResource, or attach full-access managed policies. Fix: list the actions and the model or endpoint ARNs needed.",
  configSchema,
  validateResource: validate,
};
