// One call for the tests: a program, the stack it belongs to, an environment's policy config, the mode.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Diagnostic, PolicyEngine, policiesDir } from "./engine";
import { PackConfigFile } from "./policy-config";
import { Mode, toEngineResources, YamlProgram } from "./program";

export function envConfig(env: string): PackConfigFile {
  return JSON.parse(readFileSync(join(policiesDir, `${env}.json`), "utf8"));
}

export async function judge(engine: PolicyEngine, program: YamlProgram, stack: string, config: PackConfigFile, mode: Mode = "update"): Promise<Diagnostic[]> {
  await engine.configure(config);
  const resources = toEngineResources(program, stack, mode);
  return engine.analyzeProgram(resources, `urn:pulumi:${stack}::${program.name}::pulumi:pulumi:Stack::${program.name}-${stack}`);
}

/** Compact "policy [level]: message" lines, for assertions and for readable failures. */
export const lines = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName} [${d.enforcementLevel}]: ${d.message}`);
export const mandatory = (ds: Diagnostic[]) => lines(ds.filter((d) => d.enforcementLevel === "mandatory"));
