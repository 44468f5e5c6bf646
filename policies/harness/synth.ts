// The programs the C# compiler really prints: `llm-cost synth --stack NAME` from the repository root.
// `npm test` runs harness/synth-all first, which prints every stack once, one after the other (the first call builds
// the C# program; parallel test files must not race that build), into bin/programs/; tests read those files.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { YamlProgram } from "./program";

export const repoRoot = join(__dirname, "..", "..", "..");
export const STACKS = ["dev", "staging", "prod", "account-nonprod", "account-prod"];
const programsDir = join(__dirname, "..", "programs");

export function synthToFile(stack: string): string {
  const text = execFileSync(join(repoRoot, "llm-cost"), ["synth", "--stack", stack], {
    cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LLM_COST_PRICING_SOURCE: "snapshot", AWS_EC2_METADATA_DISABLED: "true" },
  });
  JSON.parse(text); // stdout must be the program and nothing else
  mkdirSync(programsDir, { recursive: true });
  writeFileSync(join(programsDir, `${stack}.json`), text);
  return text;
}

/** A fresh copy of the stack's printed program (variants mutate it). */
export function synth(stack: string): YamlProgram {
  const file = join(programsDir, `${stack}.json`);
  return JSON.parse(existsSync(file) ? readFileSync(file, "utf8") : synthToFile(stack));
}
