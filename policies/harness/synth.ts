// The programs the C# compiler really prints: `llm-cost synth --stack NAME` from the repository root, parsed.
// Cached per test process (each stack takes a fraction of a second once the program is built).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { YamlProgram } from "./program";

export const repoRoot = join(__dirname, "..", "..", "..");
const cache = new Map<string, string>();

export function synth(stack: string): YamlProgram {
  let text = cache.get(stack);
  if (text === undefined) {
    text = execFileSync(join(repoRoot, "llm-cost"), ["synth", "--stack", stack], {
      cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, LLM_COST_PRICING_SOURCE: "snapshot", AWS_EC2_METADATA_DISABLED: "true" },
    });
    cache.set(stack, text);
  }
  return JSON.parse(text); // a fresh copy each time: variants mutate it
}
