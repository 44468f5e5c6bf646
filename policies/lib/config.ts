// Policy configuration: each policy declares its limits as a JSON schema with defaults (what `pulumi preview`
// validates --policy-pack-config against); the enforcement level is set per policy in policies/<env>.json.
import { PolicyConfigSchema } from "@pulumi/policy";

/** The policy's limits: the pack's defaults overlaid with what the environment's configuration sets. */
export function limitsOf<T extends object>(schema: PolicyConfigSchema, configured: Partial<T> | undefined): T {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (property && typeof property === "object" && "default" in property) defaults[key] = (property as any).default;
  }
  return { ...defaults, ...(configured ?? {}) } as T;
}
