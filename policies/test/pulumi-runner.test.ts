// The pack as Pulumi itself starts it (index.ts through the CLI's Node.js policy runner and ts-node) gives the
// same verdicts as the compiled pack the other tests use.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PolicyEngine } from "../harness/engine";
import { envConfig, judge } from "../harness/judge";
import { synth } from "../harness/synth";
import { route } from "../harness/variants";

let engine: PolicyEngine;
before(async () => { engine = await PolicyEngine.start("pulumi"); });
after(() => engine.stop());

describe("pack started by Pulumi's policy runner", () => {
  it("serves all thirteen policies under the pack name llm-cost", async () => {
    const info = await engine.info();
    assert.equal(info.name, "llm-cost");
    assert.equal(info.policies.length, 13);
    assert.ok(info.policies.every((p) => p.enforcementLevel === "mandatory"));
  });

  it("passes dev with dev's config and rejects a dev route with 4096 output tokens", async () => {
    const pass = await judge(engine, synth("dev"), "dev", envConfig("dev"));
    assert.deepEqual(pass.filter((d) => d.enforcementLevel === "mandatory"), []);
    const program = synth("dev");
    route(program, "small").maxOutputTokens = 4096;
    const fail = await judge(engine, program, "dev", envConfig("dev"));
    assert.deepEqual(fail.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.message.split("\n").pop()), [
      "Route small allows maxOutputTokens 4096, above this environment's limit of 1024. Lower llm-cost:routes[].maxOutputTokens for route small to 1024 or less, or raise maxOutputTokens in this environment's policy config.",
    ]);
  });
});
