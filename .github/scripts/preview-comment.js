// Posts or updates the one pull-request comment per stack, found again by its hidden marker. Quiet for reviewers:
// no comment when nothing in the stack changes; a comment that no longer has news is cut to one line, not deleted.
const fs = require('fs');

const LIMIT = 65536; // GitHub's longest comment
const MARGIN = 2000;

function previewHasChanges(output) {
  return /\bto (create|update|delete|replace)\b/.test(output) || /\bcreate-replacement\b/.test(output);
}

module.exports = async ({ github, context, core }) => {
  const stack = process.env.STACK;
  const marker = `<!-- llm-cost:preview:${stack} -->`;
  const dir = '.artifacts/cost-diff';
  const diff = JSON.parse(fs.readFileSync(`${dir}/${stack}.json`, 'utf8'));
  const costMarkdown = fs.readFileSync(`${dir}/${stack}.md`, 'utf8');
  const outcome = process.env.PREVIEW_OUTCOME || 'skipped';
  const output = (process.env.PREVIEW_OUTPUT || '').trim();
  const policy = process.env.POLICY_STATE === 'run'
    ? (outcome === 'success' ? 'policy pack: passed' : 'policy pack: see the preview (a mandatory violation fails it)')
    : 'policy pack: not run (none in policies/)';
  const quiet = !diff.changed && outcome === 'success' && !previewHasChanges(output);

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
    const head = `${costMarkdown.trimEnd()}\n\n**pulumi preview**: ${outcome}; ${policy}.\n\n`;
    const room = LIMIT - MARGIN - head.length;
    const shown = output.length > room ? output.slice(0, Math.max(0, room)) + '\n… (cut: the full preview is in the workflow log)' : output;
    body = `${head}<details><summary>pulumi preview (${stack})</summary>\n\n\`\`\`\n${shown.replace(/```/g, "'''")}\n\`\`\`\n</details>\n`;
  }

  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
  } else {
    await github.rest.issues.createComment({ owner, repo, issue_number, body });
  }
};
