// Conformance: every synthesized stack must type-check against the @pulumi/aws typings of the pinned provider
// version, and every deliberately broken variant must fail with the error it was built to show.
// Usage: node check.mjs   (from tests/conformance, after `npm ci`)
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const generated = join(here, "generated");
const tsc = join(here, "node_modules", "typescript", "bin", "tsc");
let passed = 0;
let failed = 0;

const report = (ok, name, detail) => {
  ok ? passed++ : failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
};

// The provider version the program pins must be the version of the typings we check against.
const pinned = readFileSync(join(root, "infra", "LlmCost.Infra", "Components", "AwsProvider.cs"), "utf8").match(/Version = "([^"]+)"/)[1];
const typings = JSON.parse(readFileSync(join(here, "node_modules", "@pulumi", "aws", "package.json"), "utf8")).version;
report(pinned === typings, "provider version matches typings", `program pins ${pinned}, typings are ${typings}`);

// The compiler exactly as Pulumi starts it, from a cold build: build output must not reach stdout, which must
// parse as the discovery program (the pinned provider alone).
rmSync(join(root, ".artifacts", "compiler", "llm-cost"), { force: true });
const discoveryEnv = { ...process.env };
for (const name of ["PULUMI_STACK", "PULUMI_PROJECT", "PULUMI_ORGANIZATION", "PULUMI_CONFIG"]) delete discoveryEnv[name];
const discovery = spawnSync("bash", [join(root, "infra", "compile.sh")], { cwd: root, env: discoveryEnv, encoding: "utf8" });
let discovered = null;
try { discovered = JSON.parse(discovery.stdout); } catch { /* reported below */ }
report(discovery.status === 0 && discovered !== null && Object.keys(discovered.resources).join() === "aws-provider"
    && discovered.resources["aws-provider"].options.version === pinned,
  "compile.sh after a cold build prints only the discovery program", discovered ? "" : `stdout was: ${discovery.stdout.slice(0, 300)}`);

rmSync(generated, { recursive: true, force: true });
execFileSync(join(root, "infra", "compile.sh"), ["conformance", "--out", generated], { stdio: ["ignore", "inherit", "inherit"] });

// One tsc run over all stacks: loading the aws typings dominates, so the stacks share it.
const stacks = spawnSync(process.execPath, [tsc, "-p", join(here, "tsconfig.json")], { encoding: "utf8" });
const stackFiles = readdirSync(join(generated, "stacks"));
for (const file of stackFiles) {
  const errors = (stacks.stdout + stacks.stderr).split("\n").filter((line) => line.includes(`stacks/${file}`));
  report(stacks.status === 0 || errors.length === 0, `stack ${file} type-checks`, errors.slice(0, 5).join("\n     "));
}
if (stacks.status !== 0 && !stackFiles.some((f) => (stacks.stdout + stacks.stderr).includes(f))) {
  report(false, "tsc over the stacks", (stacks.stdout + stacks.stderr).slice(0, 2000));
}

// Each broken variant on its own: it must fail, and for the reason it was built for.
const brokenDir = join(generated, "broken");
const brokenFiles = readdirSync(brokenDir).map((f) => join(brokenDir, f));
const broken = spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "ES2022", "--module", "commonjs", "--moduleResolution", "node", ...brokenFiles], { encoding: "utf8", cwd: here });
const brokenOutput = broken.stdout + broken.stderr;
for (const file of brokenFiles) {
  const expected = readFileSync(file, "utf8").split("\n")[0].replace("// expect: ", "").trim();
  const name = file.split("/").pop();
  const errors = brokenOutput.split("\n").filter((line) => line.includes(name));
  const caught = errors.some((line) => line.includes("error TS") && line.includes(expected));
  report(caught, `broken ${name} is rejected (mentions ${expected})`, caught ? "" : (errors.join("\n     ") || "no error reported"));
}

console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
