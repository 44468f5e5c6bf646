// Unbounded tokens: every router route must cap input and output tokens, within the environment's limits, and the
// request shape limits must be set. Read from the router configuration document in the Lambda's environment.
import * as lambda from "@pulumi/aws/lambda";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";
import { routerConfigOf } from "../lib/router-config";

interface Limits { maxInputTokens: number; maxOutputTokens: number; maxMessages: number; maxMessageChars: number }

const configSchema: PolicyConfigSchema = {
  properties: {
    maxInputTokens: { type: "integer", minimum: 1, default: 8000, description: "Largest maxInputTokens a route may have." },
    maxOutputTokens: { type: "integer", minimum: 1, default: 1024, description: "Largest maxOutputTokens a route may have." },
    maxMessages: { type: "integer", minimum: 1, default: 64, description: "Largest messages-per-request limit." },
    maxMessageChars: { type: "integer", minimum: 1, default: 100000, description: "Largest characters-per-message limit." },
  },
};

const isCap = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;

export const routerRoutesCapTokens: ResourceValidationPolicy = {
  name: "router-routes-cap-tokens",
  description: "Every route in the router configuration (LLM_COST_ROUTER_CONFIG) must have maxInputTokens and maxOutputTokens within the environment's limits, and the request limits (maxMessages, maxMessageChars) must be set within them. Fix: set llm-cost:routes[i].maxInputTokens/maxOutputTokens (and llm-cost:gateway.maxMessages/maxMessageChars) at or below the limits, or raise them in policies/<env>.json.",
  configSchema,
  validateResource: validateResourceOfType(lambda.Function, (fn, args, report) => {
    const parsed = routerConfigOf(fn as any);
    if (!parsed) return args.notApplicable("Not the router function");
    if (!parsed.ok) return report(parsed.error);
    const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
    const { routes, limits: request } = parsed.config;
    if (routes.length === 0) report("The router configuration has no routes.");
    for (const route of routes) {
      for (const [field, max, key] of [["maxInputTokens", limits.maxInputTokens, "maxInputTokens"], ["maxOutputTokens", limits.maxOutputTokens, "maxOutputTokens"]] as const) {
        const value = route[field];
        if (!isCap(value)) {
          report(`Route ${route.name} has no ${field} cap (got ${JSON.stringify(value)}): one request could run up an unbounded bill. Set llm-cost:routes[].${field} for route ${route.name}.`);
        } else if (value > max) {
          report(`Route ${route.name} allows ${field} ${value}, above this environment's limit of ${max}. Lower llm-cost:routes[].${field} for route ${route.name} to ${max} or less, or raise ${key} in this environment's policy config.`);
        }
      }
    }
    for (const [field, max] of [["maxMessages", limits.maxMessages], ["maxMessageChars", limits.maxMessageChars]] as const) {
      const value = request?.[field];
      if (!isCap(value)) {
        report(`The router configuration has no request limit ${field} (got ${JSON.stringify(value)}). Set llm-cost:gateway.${field}.`);
      } else if (value > max) {
        report(`The router allows ${field} ${value}, above this environment's limit of ${max}. Lower llm-cost:gateway.${field} or raise ${field} in this environment's policy config.`);
      }
    }
  }),
};
