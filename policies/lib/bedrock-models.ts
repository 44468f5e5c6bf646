// Bedrock models the pack knows: a size class per model and its lifecycle.
//
// Lifecycle (status, legacy and end-of-life dates) is a copy of the C# program's embedded catalog
// infra/LlmCost.Infra/Catalog/bedrock-models.json (asOf 2026-11-28; sources cited per model there: the Bedrock user
// guide's "Model lifecycle" and "Supported foundation models" pages). test/tables.test.ts fails when the two disagree,
// so a catalog update must be copied here. A copy, not a read at run time, because a published pack carries only
// policies/.
//
// Size class, as of 2026-11-28: parameter counts where the vendor publishes them (Meta and Mistral model cards on
// https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html); for models whose size is not published
// (Amazon Nova, Anthropic Claude) the vendor's own tier (Nova Micro/Lite < Pro < Premier; Claude Haiku < Sonnet <
// Opus), which is also their price order on https://aws.amazon.com/bedrock/pricing/ .
//   small:    up to ~15B parameters, or the vendor's smallest tier
//   medium:   ~15B to ~100B, or the middle tier below Sonnet
//   large:    above ~100B, or Sonnet / Nova Premier class
//   frontier: the vendor's largest tier (Claude Opus)

export const SIZE_CLASSES = ["small", "medium", "large", "frontier"] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];
export type Lifecycle = "ACTIVE" | "LEGACY" | "UNVERIFIED";

export interface BedrockModel {
  sizeClass: SizeClass;
  lifecycle: Lifecycle;
  legacyDate: string | null;
  endOfLifeDate: string | null;
}

const m = (sizeClass: SizeClass, lifecycle: Lifecycle, legacyDate: string | null = null, endOfLifeDate: string | null = null): BedrockModel =>
  ({ sizeClass, lifecycle, legacyDate, endOfLifeDate });

export const BEDROCK_MODELS_AS_OF = "2026-11-28";

export const BEDROCK_MODELS: Readonly<Record<string, BedrockModel>> = Object.freeze({
  "amazon.nova-micro-v1:0": m("small", "ACTIVE"),
  "amazon.nova-lite-v1:0": m("small", "ACTIVE"),
  "amazon.nova-2-lite-v1:0": m("small", "ACTIVE"),
  "amazon.nova-pro-v1:0": m("medium", "ACTIVE"),
  "amazon.nova-premier-v1:0": m("large", "LEGACY", "2026-03-13", "2026-09-14"),
  "meta.llama3-1-8b-instruct-v1:0": m("small", "ACTIVE"),
  "meta.llama3-1-70b-instruct-v1:0": m("medium", "ACTIVE"),
  "meta.llama3-1-405b-instruct-v1:0": m("large", "LEGACY", null, "2026-07-07"),
  "meta.llama3-2-1b-instruct-v1:0": m("small", "LEGACY", null, "2026-07-07"),
  "meta.llama3-2-3b-instruct-v1:0": m("small", "LEGACY", null, "2026-07-07"),
  "meta.llama3-2-11b-instruct-v1:0": m("small", "LEGACY", null, "2026-07-07"),
  "meta.llama3-2-90b-instruct-v1:0": m("medium", "LEGACY", null, "2026-07-07"),
  "meta.llama3-3-70b-instruct-v1:0": m("medium", "ACTIVE"),
  "anthropic.claude-3-haiku-20240307-v1:0": m("small", "LEGACY", null, "2026-09-10"),
  "anthropic.claude-3-5-haiku-20241022-v1:0": m("medium", "LEGACY", null, "2026-06-19"),
  "anthropic.claude-haiku-4-5-20251001-v1:0": m("medium", "ACTIVE"),
  "anthropic.claude-3-5-sonnet-20240620-v1:0": m("large", "LEGACY", null, "2026-03-01"),
  "anthropic.claude-3-5-sonnet-20241022-v2:0": m("large", "LEGACY", null, "2026-07-30"),
  "anthropic.claude-3-7-sonnet-20250219-v1:0": m("large", "LEGACY", null, "2026-04-28"),
  "anthropic.claude-sonnet-4-20250514-v1:0": m("large", "LEGACY", "2026-04-14", "2026-10-14"),
  "anthropic.claude-sonnet-4-5-20250929-v1:0": m("large", "ACTIVE"),
  "anthropic.claude-sonnet-4-6": m("large", "ACTIVE"),
  "anthropic.claude-opus-4-20250514-v1:0": m("frontier", "LEGACY", null, "2026-05-31"),
  "anthropic.claude-opus-4-1-20250805-v1:0": m("frontier", "LEGACY", "2026-07-08", "2027-01-08"),
  "anthropic.claude-opus-4-5-20251101-v1:0": m("frontier", "ACTIVE"),
  "anthropic.claude-opus-4-6-v1": m("frontier", "ACTIVE"),
  "mistral.mistral-7b-instruct-v0:2": m("small", "UNVERIFIED"),
  "mistral.mixtral-8x7b-instruct-v0:1": m("medium", "UNVERIFIED"),
  "mistral.mistral-small-2402-v1:0": m("medium", "UNVERIFIED"),
  "mistral.mistral-large-2402-v1:0": m("large", "UNVERIFIED"),
  "mistral.mistral-large-2407-v1:0": m("large", "UNVERIFIED"),
  "mistral.pixtral-large-2502-v1:0": m("large", "UNVERIFIED"),
  "mistral.mistral-large-3-675b-instruct": m("large", "UNVERIFIED"),
  "mistral.ministral-3-3b-instruct": m("small", "UNVERIFIED"),
  "mistral.ministral-3-8b-instruct": m("small", "UNVERIFIED"),
  "mistral.ministral-3-14b-instruct": m("small", "UNVERIFIED"),
  "mistral.magistral-small-2509": m("medium", "UNVERIFIED"),
});

// System-defined cross-region inference profiles prefix the model ID with a geography.
const geographyPrefix = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/**
 * The model ID a Bedrock identifier or ARN names: "us.anthropic.claude-...", ".../foundation-model/amazon.nova-...",
 * ".../inference-profile/us.meta...". Undefined for ARNs that name no model (application inference profiles,
 * provisioned throughput), which are judged through what they were copied from.
 */
export function modelIdOf(identifier: string): string | undefined {
  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(identifier);
  let id = identifier;
  if (arn) {
    if (arn[1] !== "foundation-model" && arn[1] !== "inference-profile") return undefined;
    id = arn[2];
  } else if (identifier.startsWith("arn:")) {
    return undefined; // not a Bedrock model ARN (e.g. a log group in the same statement's neighbour)
  }
  if (id.includes("*") || id.includes("${")) return undefined;
  const bare = id.replace(geographyPrefix, "");
  return BEDROCK_MODELS[bare] || !BEDROCK_MODELS[id] ? bare : id;
}

export type LifecycleVerdict = { state: "active" } | { state: "legacy"; endOfLifeDate: string | null } | { state: "end-of-life"; endOfLifeDate: string };

/** Where a model stands on a date (YYYY-MM-DD): past its end of life, legacy, or active. */
export function lifecycleOn(model: BedrockModel, today: string): LifecycleVerdict {
  if (model.endOfLifeDate && model.endOfLifeDate <= today) return { state: "end-of-life", endOfLifeDate: model.endOfLifeDate };
  if (model.lifecycle === "LEGACY" || (model.legacyDate && model.legacyDate <= today)) {
    return { state: "legacy", endOfLifeDate: model.endOfLifeDate };
  }
  return { state: "active" };
}
