// Posts or updates the one pull-request comment per stack, found again by its hidden marker. Quiet for reviewers:
// no comment when nothing in the stack changes; a comment that no longer has news is cut to one line, not deleted.
// Reads what the earlier steps wrote to .artifacts/cost-diff/ (STACK.json, STACK.md, STACK.err, STACK-preview.txt,
// STACK-policy.txt when the policy pack ran).
const fs = require('fs');

const LIMIT = 65536; // GitHub's longest comment
const MARGIN = 2000;

function read(path) {
  return fs.existsSync(path) ? fs.readFileSync(path, 'utf8') : null;
}

function previewHasChanges(output) {
  return /\bto (create|update|delete|replace)\b/.test(output) || /\bcreate-replacement\b/.test(output);
}

function fence(text) {
  return '```\n' + text.replace(/```/g, "'''") + '\n```';
}

module.exports = async ({ github, context, core }) => {
  const stack = process.env.STACK;
  const marker = `<!-- llm-cost:preview:${stack} -->`;
  const dir = '.artifacts/cost-diff';
  const costOk = process.env.COST_OUTCOME === 'success';
  const diffJson = costOk ? read(`${dir}/${stack}.json`) : null;
  const diff = diffJson ? JSON.parse(diffJson) : null;
  const costMarkdown = costOk ? read(`${dir}/${stack}.md`) : null;
  const outcome = process.env.PREVIEW_OUTCOME || 'skipped';
  const output = (read(`${dir}/${stack}-preview.txt`) || '').trim();
  const policy = read(`${dir}/${stack}-policy.txt`)
    ? (outcome === 'success' ? 'policy pack: passed' : 'policy pack: see the preview (a mandatory violation fails it)')
    : 'policy pack: not run (none in policies/)';
  const quiet = diff !== null && !diff.changed && outcome === 'success' && !previewHasChanges(output);

  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const previous = comments.find(c => c.user && c.user.type === 'Bot' && c.body && c.body.startsWith(marker));

  let body;
  if (quiet) {
    if (!previous) {
      core.info(`${stack}: nothing changes; no comment`);
      return;
    }
    body = `${marker}\n**${diff.summary}**; pulumi preview: no changes; ${policy}.\n`;
  } else {
    const cost = costMarkdown
      ? costMarkdown.trimEnd()
      : `${marker}\n### llm-cost preview: \`${stack}\`\n\n**${stack}: cost diff failed**\n\n${fence((read(`${dir}/${stack}.err`) || 'no error output').trim())}`;
    const head = `${cost}\n\n**pulumi preview**: ${outcome}; ${policy}.\n\n`;
    const room = LIMIT - MARGIN - head.length;
    const shown = output.length > room ? output.slice(0, Math.max(0, room)) + '\n… (cut: the full preview is in the workflow log)' : output;
    body = `${head}<details><summary>pulumi preview (${stack})</summary>\n\n${fence(shown)}\n</details>\n`;
  }

  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
  } else {
    await github.rest.issues.createComment({ owner, repo, issue_number, body });
  }
};
