// The router configuration document as the C# program writes it into the router Lambda's environment
// (infra/LlmCost.CostModel/RouterConfiguration.cs, serialized camelCase). test/contract.test.ts checks these field
// names against that file, so a change to the shared contract shows up here.

export const ROUTER_CONFIG_VARIABLE = "LLM_COST_ROUTER_CONFIG";
export const ROUTER_CONFIG_SCHEMA_VERSION = 2;

export interface RouteConfiguration {
  name: string;
  backend: string;
  modelId: string;
  invokeId: string;
  maxInputTokens?: number;
  maxOutputTokens?: number;
  trimInput: boolean;
  fallback?: string;
  prices: Record<string, number>;
  /** Fleet routes only: how the router reaches the fleet. */
  transport?: { kind: string; url?: string };
}

export interface RouterConfiguration {
  schemaVersion: number;
  stack: string;
  region: string;
  logPrompts: boolean;
  limits: { maxMessages?: number; maxMessageChars?: number };
  routes: RouteConfiguration[];
  auto: { tiers: { route: string; maxScore: number }[]; allowExplicitModels: boolean };
  apps: { name: string; clientId: string; profiles: { route: string; arn: string }[] }[];
  prices: { source: string; asOf: string };
}

/** Field names per record, camelCase, as the contract test compares them with the C# records. */
export const ROUTER_CONFIG_FIELDS: Readonly<Record<string, readonly string[]>> = {
  RouterConfiguration: ["schemaVersion", "stack", "region", "logPrompts", "limits", "routes", "auto", "apps", "prices", "budgets"],
  RequestLimits: ["maxMessages", "maxMessageChars"],
  RouteConfiguration: ["name", "backend", "modelId", "invokeId", "maxInputTokens", "maxOutputTokens", "trimInput", "fallback", "prices", "transport"],
  FleetTransport: ["kind", "url"],
  AutoRouting: ["tiers", "allowExplicitModels"],
  AutoRoutingTier: ["route", "maxScore"],
  AppConfiguration: ["name", "clientId", "profiles", "monthlyBudgetUsd"],
  AppInferenceProfile: ["route", "arn"],
  PriceProvenance: ["source", "asOf"],
  BudgetStoreConfiguration: ["tableName", "whenUnavailable"],
};

export type ParsedRouterConfig = { ok: true; config: RouterConfiguration } | { ok: false; error: string };

/**
 * The router configuration carried by a Lambda function's inputs, if any. Reading an unknown value (first preview,
 * when the document embeds IDs not yet created) throws the policy SDK's UnknownValueError, which the pack server
 * turns into an advisory "can't run during preview", as for any unknown input.
 */
export function routerConfigOf(fn: { environment?: { variables?: Record<string, string> } }): ParsedRouterConfig | undefined {
  const variables = fn.environment?.variables;
  if (!variables || !(ROUTER_CONFIG_VARIABLE in variables)) return undefined;
  const raw = variables[ROUTER_CONFIG_VARIABLE];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { ok: false, error: `${ROUTER_CONFIG_VARIABLE} is not JSON: ${(e as Error).message}` };
  }
  const doc = parsed as RouterConfiguration;
  if (typeof doc !== "object" || doc === null || !Array.isArray(doc.routes)) {
    return { ok: false, error: `${ROUTER_CONFIG_VARIABLE} has no routes list` };
  }
  if (doc.schemaVersion !== ROUTER_CONFIG_SCHEMA_VERSION) {
    return { ok: false, error: `${ROUTER_CONFIG_VARIABLE} has schemaVersion ${doc.schemaVersion}; this pack reads version ${ROUTER_CONFIG_SCHEMA_VERSION}` };
  }
  return { ok: true, config: doc };
}
