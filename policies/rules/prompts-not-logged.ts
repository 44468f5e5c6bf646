// Security: prompt text in logs where the environment forbids it: the router's own logPrompts, Bedrock model
// invocation logging with text delivery, and API Gateway data tracing (which logs whole request bodies).
import * as apigateway from "@pulumi/aws/apigateway";
import * as bedrockmodel from "@pulumi/aws/bedrockmodel";
import * as lambda from "@pulumi/aws/lambda";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";
import { routerConfigOf } from "../lib/router-config";

interface Limits { allowPromptLogging: boolean }

const configSchema: PolicyConfigSchema = {
  properties: {
    allowPromptLogging: { type: "boolean", default: false, description: "May this environment log prompt text (router, Bedrock invocation logging, API Gateway data trace)?" },
  },
};

const forbidden = (args: { getConfig<T extends object>(): T }) => !limitsOf<Limits>(configSchema, args.getConfig<Limits>()).allowPromptLogging;

export const promptsNotLogged: ResourceValidationPolicy = {
  name: "prompts-not-logged",
  description: "Where the environment forbids prompt logging (allowPromptLogging: false): the router may not log prompts (llm-cost:router.logPrompts), Bedrock invocation logging may not deliver text (logPromptText), and API Gateway may not data-trace request bodies. Fix: set those to false, or allow prompt logging in policies/<env>.json.",
  configSchema,
  validateResource: [
    validateResourceOfType(lambda.Function, (fn, args, report) => {
      const parsed = routerConfigOf(fn as any);
      if (!parsed) return args.notApplicable("Not the router function");
      if (parsed.ok && parsed.config.logPrompts === true && forbidden(args)) {
        report("The router logs prompt text (logPrompts: true) in an environment that forbids it. Set llm-cost:router.logPrompts: false.");
      }
    }),
    validateResourceOfType(bedrockmodel.InvocationLoggingConfiguration, (logging, args, report) => {
      const c = logging.loggingConfig;
      const delivered = (["textDataDeliveryEnabled", "imageDataDeliveryEnabled", "videoDataDeliveryEnabled"] as const).filter((k) => c?.[k] === true);
      if (delivered.length > 0 && forbidden(args)) {
        report(`Bedrock model invocation logging delivers prompt and completion content (${delivered.join(", ")}) in an environment that forbids it. Set llm-cost:bedrockInvocationLogging.logPromptText: false.`);
      }
    }),
    validateResourceOfType(apigateway.MethodSettings, (settings, args, report) => {
      if (settings.settings?.dataTraceEnabled === true && forbidden(args)) {
        report(`API Gateway method settings ${args.name} enable dataTraceEnabled, which logs whole request bodies (prompts) to CloudWatch. Set dataTraceEnabled: false.`);
      }
    }),
  ],
};
