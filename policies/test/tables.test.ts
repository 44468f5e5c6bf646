// The pack's tables and contracts agree with their sources; the environment configs fit the pack's schemas.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { policiesDir } from "../harness/engine";
import { PackConfigFile, reconcileConfig } from "../harness/policy-config";
import { repoRoot } from "../harness/synth";
import { BEDROCK_MODELS, lifecycleOn, modelIdOf } from "../lib/bedrock-models";
import { ACCELERATED_INSTANCES, judgeInstanceType } from "../lib/instance-types";
import { ROUTER_CONFIG_FIELDS, ROUTER_CONFIG_SCHEMA_VERSION } from "../lib/router-config";
import { policies } from "../rules";

describe("Bedrock model table", () => {
  const catalog = JSON.parse(readFileSync(join(repoRoot, "infra", "LlmCost.Infra", "Catalog", "bedrock-models.json"), "utf8"));

  it("has the C# catalog's models, each with the catalog's lifecycle and dates", () => {
    const fromCatalog = Object.fromEntries(catalog.models.map((m: any) => [m.model, [m.lifecycle, m.legacyDate, m.endOfLifeDate]]));
    const fromPack = Object.fromEntries(Object.entries(BEDROCK_MODELS).map(([id, m]) => [id, [m.lifecycle, m.legacyDate, m.endOfLifeDate]]));
    assert.deepEqual(fromPack, fromCatalog);
  });

  it("size classes: the three real stacks' models as the README describes them", () => {
    assert.equal(BEDROCK_MODELS["amazon.nova-micro-v1:0"].sizeClass, "small");
    assert.equal(BEDROCK_MODELS["meta.llama3-1-8b-instruct-v1:0"].sizeClass, "small");
    assert.equal(BEDROCK_MODELS["anthropic.claude-haiku-4-5-20251001-v1:0"].sizeClass, "medium");
    assert.equal(BEDROCK_MODELS["anthropic.claude-sonnet-4-5-20250929-v1:0"].sizeClass, "large");
    assert.equal(BEDROCK_MODELS["anthropic.claude-opus-4-6-v1"].sizeClass, "frontier");
  });

  it("reads model IDs out of identifiers and ARNs", () => {
    assert.equal(modelIdOf("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), "anthropic.claude-sonnet-4-5-20250929-v1:0");
    assert.equal(modelIdOf("arn:aws:bedrock:*::foundation-model/meta.llama3-1-8b-instruct-v1:0"), "meta.llama3-1-8b-instruct-v1:0");
    assert.equal(modelIdOf("arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0"), "anthropic.claude-haiku-4-5-20251001-v1:0");
    assert.equal(modelIdOf("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"), undefined);
    assert.equal(modelIdOf("arn:aws:logs:us-east-1:123456789012:log-group:/llm-cost/dev/router:*"), undefined);
    assert.equal(modelIdOf("arn:aws:bedrock:*::foundation-model/*"), undefined);
  });

  it("lifecycle on a date: Sonnet 4 legacy from 2026-04-14, end of life from 2026-10-14", () => {
    const sonnet4 = BEDROCK_MODELS["anthropic.claude-sonnet-4-20250514-v1:0"];
    assert.deepEqual(lifecycleOn(sonnet4, "2026-05-01"), { state: "legacy", endOfLifeDate: "2026-10-14" });
    assert.deepEqual(lifecycleOn(sonnet4, "2026-10-14"), { state: "end-of-life", endOfLifeDate: "2026-10-14" });
    assert.deepEqual(lifecycleOn(BEDROCK_MODELS["amazon.nova-lite-v1:0"], "2026-11-28"), { state: "active" });
  });
});

describe("instance table", () => {
  it("accelerators and memory as AWS's instance pages state them", () => {
    const spec = (t: string) => [ACCELERATED_INSTANCES[t].accelerators, ACCELERATED_INSTANCES[t].acceleratorMemoryGiB];
    assert.deepEqual(spec("ml.inf2.xlarge"), [1, 32]);
    assert.deepEqual(spec("inf2.24xlarge"), [6, 192]);
    assert.deepEqual(spec("ml.inf2.48xlarge"), [12, 384]);
    assert.deepEqual(spec("inf1.24xlarge"), [16, 128]);
    assert.deepEqual(spec("trn1.32xlarge"), [16, 512]);
    assert.deepEqual(spec("trn2.48xlarge"), [16, 1536]);
    assert.deepEqual(spec("g5.12xlarge"), [4, 96]);
    assert.deepEqual(spec("ml.p4d.24xlarge"), [8, 320]);
    assert.deepEqual(spec("p5.48xlarge"), [8, 640]);
  });

  it("unlisted accelerated types are unknown, general-purpose types carry no accelerator", () => {
    assert.deepEqual(judgeInstanceType("ml.inf3.xlarge"), { kind: "unknown-accelerated" });
    assert.deepEqual(judgeInstanceType("p6.48xlarge"), { kind: "unknown-accelerated" });
    assert.deepEqual(judgeInstanceType("m7g.large"), { kind: "not-accelerated" });
    assert.deepEqual(judgeInstanceType("ml.m5.xlarge"), { kind: "not-accelerated" });
  });
});

describe("router configuration contract", () => {
  it("the pack reads the same records and fields as infra/LlmCost.CostModel/RouterConfiguration.cs declares", () => {
    const source = readFileSync(join(repoRoot, "infra", "LlmCost.CostModel", "RouterConfiguration.cs"), "utf8").replace(/\/\/\/.*$/gm, "");
    const records: Record<string, string[]> = {};
    for (const m of source.matchAll(/public sealed record (\w+)\(([^)]*)\)/g)) {
      records[m[1]] = m[2].split(",").map((p) => p.replace(/=.*$/s, "").trim().split(/\s+/).pop()!).map((n) => n[0].toLowerCase() + n.slice(1));
    }
    assert.deepEqual(records, ROUTER_CONFIG_FIELDS);
    const version = /CurrentSchemaVersion = (\d+);/.exec(source);
    assert.equal(Number(version?.[1]), ROUTER_CONFIG_SCHEMA_VERSION, "the pack reads the version the program writes");
  });
});

describe("the pack and its configurations", () => {
  it("every policy has a kebab-case name, its own file of that name, and a description that says how to fix", () => {
    const files = readdirSync(join(policiesDir, "rules")).filter((f) => f.endsWith(".ts") && f !== "index.ts").map((f) => f.replace(/\.ts$/, "")).sort();
    assert.deepEqual(policies.map((p) => p.name).sort(), files);
    for (const p of policies) {
      assert.match(p.name, /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
      assert.match(p.description ?? "", /Fix: /, p.name);
    }
  });

  for (const env of ["dev", "staging", "prod"]) {
    it(`${env}.json sets every policy's enforcement level and validates against the schemas`, () => {
      const file: PackConfigFile = JSON.parse(readFileSync(join(policiesDir, `${env}.json`), "utf8"));
      assert.deepEqual(Object.keys(file).sort(), policies.map((p) => p.name).sort());
      for (const entry of Object.values(file)) assert.ok(typeof entry === "object" && "enforcementLevel" in entry);
      const info = policies.map((p) => ({ name: p.name, enforcementLevel: "mandatory", configSchema: p.configSchema as any }));
      assert.doesNotThrow(() => reconcileConfig(info, file));
    });
  }

  it("a misspelt or out-of-range limit is refused, not silently defaulted", () => {
    const info = policies.map((p) => ({ name: p.name, enforcementLevel: "mandatory", configSchema: p.configSchema as any }));
    assert.throws(() => reconcileConfig(info, { "fleet-instance-count-within-cap": { maxInstance: 3 } }), /maxInstance: not in the policy's config schema/);
    assert.throws(() => reconcileConfig(info, { "bedrock-models-approved": { maxSizeClass: "huge" } }), /must be one of small, medium, large, frontier/);
  });
});
