// The comment script (.github/scripts/preview-comment.js) against a fake GitHub: one comment per stack, updated in
// place, none when nothing changes, the cost diff's error when it failed, and never over GitHub's limit.
// Prints "comments: N passed, N failed" for test.sh.
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const script = require('../../.github/scripts/preview-comment.js');

function fakeGitHub(existing) {
  const comments = existing.map((body, i) => ({ id: i + 1, body, user: { type: 'Bot' } }));
  const calls = [];
  return {
    calls,
    comments,
    github: {
      paginate: async () => comments,
      rest: {
        issues: {
          listComments: () => {},
          createComment: async a => { calls.push(['create', a.body]); },
          updateComment: async a => { calls.push(['update', a.comment_id, a.body]); },
        },
      },
    },
  };
}

async function run({ existing = [], diff, md, err, preview = '', outcome = 'success', costOutcome = 'success', policy = false }) {
  const dir = mkdtempSync(join(tmpdir(), 'llm-cost-comment-'));
  mkdirSync(join(dir, '.artifacts/cost-diff'), { recursive: true });
  const a = join(dir, '.artifacts/cost-diff');
  if (diff) writeFileSync(join(a, 'prod.json'), JSON.stringify(diff));
  if (md) writeFileSync(join(a, 'prod.md'), md);
  if (err) writeFileSync(join(a, 'prod.err'), err);
  writeFileSync(join(a, 'prod-preview.txt'), preview);
  if (policy) writeFileSync(join(a, 'prod-policy.txt'), 'run');
  Object.assign(process.env, { STACK: 'prod', COST_OUTCOME: costOutcome, PREVIEW_OUTCOME: outcome });
  const fake = fakeGitHub(existing);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await script({ github: fake.github, context: { repo: { owner: 'o', repo: 'r' }, payload: { pull_request: { number: 7 } } }, core: { info: () => {} } });
  } finally {
    process.chdir(cwd);
  }
  return fake.calls;
}

const marker = '<!-- llm-cost:preview:prod -->';
const unchanged = { changed: false, summary: 'prod: no change (monthly forecast $8,767)' };
const changed = { changed: true, summary: 'prod: monthly forecast +$1,600 (+18%)' };
const md = `${marker}\n### llm-cost preview: \`prod\`\n\n**prod: monthly forecast +$1,600 (+18%)**\n`;
const tests = {
  'nothing changes and no earlier comment: no comment': async () => {
    const calls = await run({ diff: unchanged, md, preview: 'Resources:\n    62 unchanged' });
    return calls.length === 0;
  },
  'nothing changes any more: the earlier comment is cut to one line': async () => {
    const calls = await run({ existing: ['other', `${marker}\nold`], diff: unchanged, md, preview: 'Resources:\n    62 unchanged' });
    return calls.length === 1 && calls[0][0] === 'update' && calls[0][1] === 2 && calls[0][2].startsWith(`${marker}\n**prod: no change`) && calls[0][2].split('\n').length === 3;
  },
  'a change: one new comment with the cost diff, the verdict and the preview': async () => {
    const calls = await run({ diff: changed, md, preview: 'Resources:\n    + 1 to create', policy: true });
    const body = calls[0]?.[2] ?? calls[0]?.[1];
    return calls.length === 1 && calls[0][0] === 'create' && body.startsWith(md.trimEnd()) && body.includes('policy pack: passed') && body.includes('+ 1 to create');
  },
  'a change again: the same comment is updated, not repeated': async () => {
    const calls = await run({ existing: [`${marker}\nold`], diff: changed, md, preview: '~ 1 to update' });
    return calls.length === 1 && calls[0][0] === 'update' && calls[0][1] === 1;
  },
  'only the preview changes: a comment': async () => {
    const calls = await run({ diff: unchanged, md: `${marker}\n**prod: no change**\n`, preview: '- 1 to delete' });
    return calls.length === 1;
  },
  'cost diff failed: the comment shows its error': async () => {
    const calls = await run({ costOutcome: 'failure', err: 'llm-cost: stacks/Pulumi.prod.yaml: llm-cost:routes[0].model: bad', outcome: 'skipped' });
    return calls.length === 1 && calls[0][1].includes('**prod: cost diff failed**') && calls[0][1].includes('llm-cost:routes[0].model: bad');
  },
  'a huge preview: the comment stays under 65,536 characters': async () => {
    const calls = await run({ diff: changed, md, preview: '+ 1 to create\n' + 'x'.repeat(200_000), outcome: 'failure' });
    return calls.length === 1 && calls[0][1].length < 65536 && calls[0][1].includes('(cut: the full preview is in the workflow log)');
  },
};

let passed = 0;
let failed = 0;
for (const [name, test] of Object.entries(tests)) {
  let ok = false;
  try { ok = await test(); } catch (e) { console.log(`  error: ${e.stack}`); }
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (ok) passed++; else failed++;
}
console.log(`comments: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
