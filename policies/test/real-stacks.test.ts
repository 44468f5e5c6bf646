// The stacks the C# program really synthesizes pass their environment's configuration.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Diagnostic, PolicyEngine } from "../harness/engine";
import { envConfig, judge, lines, mandatory } from "../harness/judge";
import { synth } from "../harness/synth";
import { addAnalytics, addSageMakerFleet, addSpendGuard } from "../harness/variants";

let engine: PolicyEngine;
before(async () => { engine = await PolicyEngine.start(); });
after(() => engine.stop());

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName} [${d.enforcementLevel}] ${d.message.split("\n").pop()}`).sort();

// What the rule reports on a real stack stripped of its spend guard (budget and alarms).
const unwatched = [
  "stack-has-budget-and-spend-alarms [mandatory] The stack spends (fleet-endpoint, router-function) but has 0 CloudWatch metric alarm(s) with an action; this environment requires at least 2. Add aws:cloudwatch/metricAlarm:MetricAlarm resources on spend (e.g. the router's cost metric) with alarmActions.",
  "stack-has-budget-and-spend-alarms [mandatory] The stack spends (fleet-endpoint, router-function) but has no AWS Budget: nobody is told when the month's cost runs away. Add an aws:budgets/budget:Budget of type COST with a limit and a notification.",
];

describe("real stacks with their environment's configuration", () => {
  for (const env of ["dev", "staging", "prod"]) {
    it(`${env} passes every policy with no finding at all`, async () => {
      const ds = await judge(engine, synth(env), env, envConfig(env));
      assert.deepEqual(mandatory(ds), []);
      assert.deepEqual(summary(ds), []);
    });
  }

  for (const [stack, env] of [["account-nonprod", "staging"], ["account-nonprod", "dev"], ["account-prod", "prod"]]) {
    it(`${stack} passes ${env}'s configuration with no finding at all`, async () => {
      assert.deepEqual(lines(await judge(engine, synth(stack), stack, envConfig(env))), []);
    });
  }

  it("prod with the fleet, spend guard and analytics it is to get passes with no finding at all", async () => {
    const program = addAnalytics(addSpendGuard(addSageMakerFleet(synth("prod"), "prod",
      { instanceType: "ml.inf2.xlarge", initialInstanceCount: 2, minCapacity: 2, maxCapacity: 10 }), "prod"), "prod", 107374182400);
    assert.deepEqual(lines(await judge(engine, program, "prod", envConfig("prod"))), []);
  });

  it("a real stack without its budget and alarms is blocked by the budget/alarm rule", async () => {
    const program = synth("prod");
    for (const [name, resource] of Object.entries(program.resources)) {
      if (resource.type === "aws:budgets/budget:Budget" || resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm") delete program.resources[name];
    }
    const ds = await judge(engine, program, "prod", envConfig("prod"));
    assert.deepEqual(summary(ds.filter((d) => d.policyName === "stack-has-budget-and-spend-alarms")), unwatched);
  });
});

describe("enforcement levels as the pack's server applies them", () => {
  it("a policy set to disabled in the config is not run; advisory reports without blocking", async () => {
    const program = synth("dev");
    delete program.resources["router-logs"].properties!.retentionInDays;
    const disabled = await judge(engine, program, "dev", { ...envConfig("dev"), "log-groups-have-retention": { enforcementLevel: "disabled" } });
    assert.deepEqual(disabled.filter((d) => d.policyName === "log-groups-have-retention"), []);
    const advisory = await judge(engine, program, "dev", { ...envConfig("dev"), "log-groups-have-retention": { enforcementLevel: "advisory", maxRetentionDays: 14 } });
    assert.deepEqual(advisory.filter((d) => d.policyName === "log-groups-have-retention").map((d) => d.enforcementLevel), ["advisory"]);
  });
});

describe("first preview of a new stack (computed IDs unknown)", () => {
  it("prod: nothing mandatory; policies reading documents that embed unknown IDs report that they can't run", async () => {
    const ds = await judge(engine, synth("prod"), "prod", envConfig("prod"), "preview");
    assert.deepEqual(mandatory(ds), []);
    const cantRun = ds.filter((d) => d.message.includes("can't run policy")).map((d) => `${d.policyName} ${d.message.replace(/.*during preview: /, "")}`).sort();
    assert.deepEqual(cantRun, [
      "bedrock-models-approved string value at .environment.variables.LLM_COST_ROUTER_CONFIG can't be known during preview",
      // Three role policies embed ARNs not known before their resources exist.
      "bedrock-models-approved string value at .policy can't be known during preview",
      "bedrock-models-approved string value at .policy can't be known during preview",
      "bedrock-models-approved string value at .policy can't be known during preview",
      "iam-no-wildcard-model-access string value at .policy can't be known during preview",
      "iam-no-wildcard-model-access string value at .policy can't be known during preview",
      "iam-no-wildcard-model-access string value at .policy can't be known during preview",
      "lambda-environment-has-no-plaintext-secrets string value at .environment.variables.LLM_COST_ROUTER_CONFIG can't be known during preview",
      "prompts-not-logged string value at .environment.variables.LLM_COST_ROUTER_CONFIG can't be known during preview",
      "router-routes-cap-tokens string value at .environment.variables.LLM_COST_ROUTER_CONFIG can't be known during preview",
    ]);
  });

  it("stack policies still link the fleet's scaling target and policy by property dependencies", async () => {
    const program = addSageMakerFleet(synth("prod"), "prod", { instanceType: "ml.inf2.xlarge", initialInstanceCount: 2, minCapacity: 2, maxCapacity: 10, disableScaleIn: true });
    const ds = await judge(engine, program, "prod", envConfig("prod"), "preview");
    assert.deepEqual(mandatory(ds).map((l) => l.split("\n").pop()), [
      "fleet-scaling-target: no scaling policy scales in (target tracking with disableScaleIn, or step scaling without a negative step), so capacity added at peak is paid for until someone removes it. Allow scale-in on the scaling policy.",
    ]);
  });
});
