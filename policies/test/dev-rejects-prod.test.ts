// dev's configuration refuses what prod runs: its fleet and its large model.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PolicyEngine } from "../harness/engine";
import { envConfig, judge } from "../harness/judge";
import { synth } from "../harness/synth";
import { addEcsFleet, addSageMakerFleet } from "../harness/variants";

let engine: PolicyEngine;
before(async () => { engine = await PolicyEngine.start(); });
after(() => engine.stop());

const findings = async (program: any, stack: string, env: string) =>
  (await judge(engine, program, stack, envConfig(env))).filter((d) => d.enforcementLevel === "mandatory").map((d) => `${d.policyName}: ${d.message.split("\n").pop()}`);

// prod's fleet as stacks/Pulumi.prod.yaml configures it: 2 to 10 x ml.inf2.xlarge.
const prodFleet = { instanceType: "ml.inf2.xlarge", initialInstanceCount: 2, minCapacity: 2, maxCapacity: 10 };

describe("dev's configuration on prod", () => {
  it("rejects prod's large model (Claude Sonnet 4.5) on the route, the profile and the grants", async () => {
    const f = await findings(synth("prod"), "prod", "dev");
    const sonnet = "anthropic.claude-sonnet-4-5-20250929-v1:0 is size class large, above this environment's small";
    assert.ok(f.includes(`bedrock-models-approved: router route large (modelId): model ${sonnet}. Use a small model or raise maxSizeClass in this environment's policy config.`), f.join("\n"));
    assert.ok(f.includes(`bedrock-models-approved: inference profile modelSource.copyFrom: model ${sonnet}. Use a small model or raise maxSizeClass in this environment's policy config.`), f.join("\n"));
    assert.ok(f.some((l) => l.startsWith("bedrock-models-approved: policy statement InvokeConfiguredModels grants arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0")), f.join("\n"));
  });

  it("rejects prod's fleet: 10 instances over dev's cap of 1, a baseline of 2 over dev's 1", async () => {
    const f = await findings(addSageMakerFleet(synth("prod"), "prod", prodFleet), "prod", "dev");
    assert.ok(f.includes("fleet-instance-count-within-cap: Scaling target maxCapacity is 10; this environment caps a fleet at 1 instances. Lower it to 1 or less (llm-cost:fleet.maxInstances in the stack), or raise maxInstances in this environment's policy config."), f.join("\n"));
    assert.ok(f.includes("fleet-instance-count-within-cap: productionVariants[0].initialInstanceCount is 2; this environment caps a fleet at 1 instances. Lower it to 1 or less (llm-cost:fleet.maxInstances in the stack), or raise maxInstances in this environment's policy config."), f.join("\n"));
    assert.ok(f.includes("fleet-scales-in-to-baseline: fleet-scaling-target: minCapacity 2 keeps more than this environment's baseline of 1 instances running when idle. Lower llm-cost:fleet.baselineInstances (the scaling minimum) or raise maxBaselineInstances in this environment's policy config."), f.join("\n"));
  });

  it("rejects an ml.inf2.48xlarge fleet by its 12 chips and 384 GiB; prod's own limit (6 chips, 192 GiB) rejects it too", async () => {
    const big = addSageMakerFleet(synth("prod"), "prod", { ...prodFleet, instanceType: "ml.inf2.48xlarge" });
    const expected = (max: number, mem: number) => `fleet-instance-type-within-size-limit: productionVariants[0].instanceType: instance type ml.inf2.48xlarge has 12 x Inferentia2 with 384 GiB accelerator memory; this environment allows at most ${max} accelerators and ${mem} GiB per instance. Choose a smaller instance type (e.g. ml.inf2.xlarge / inf2.xlarge) or raise maxAccelerators/maxAcceleratorMemoryGiB in this environment's policy config.`;
    assert.ok((await findings(big, "prod", "dev")).includes(expected(1, 32)));
    assert.ok((await findings(addSageMakerFleet(synth("prod"), "prod", { ...prodFleet, instanceType: "ml.inf2.48xlarge" }), "prod", "prod")).includes(expected(6, 192)));
  });

  it("judges by the table, not the name: inf2.8xlarge (1 chip) passes dev's size limit, g5.12xlarge (4 GPUs) does not", async () => {
    const small = await findings(addEcsFleet(synth("dev"), "dev", { instanceType: "inf2.8xlarge", minSize: 0, maxSize: 1, desiredCount: 1 }), "dev", "dev");
    assert.deepEqual(small.filter((l) => l.startsWith("fleet-instance-type")), []);
    const gpu = await findings(addEcsFleet(synth("dev"), "dev", { instanceType: "g5.12xlarge", minSize: 0, maxSize: 1, desiredCount: 1 }), "dev", "dev");
    assert.deepEqual(gpu.filter((l) => l.startsWith("fleet-instance-type")), [
      "fleet-instance-type-within-size-limit: instanceType: instance type g5.12xlarge has 4 x NVIDIA A10G with 96 GiB accelerator memory; this environment allows at most 1 accelerators and 32 GiB per instance. Choose a smaller instance type (e.g. ml.inf2.xlarge / inf2.xlarge) or raise maxAccelerators/maxAcceleratorMemoryGiB in this environment's policy config.",
    ]);
  });

  it("prod's fleet passes prod's configuration", async () => {
    assert.deepEqual(await findings(addSageMakerFleet(synth("prod"), "prod", prodFleet), "prod", "prod"), []);
  });
});
