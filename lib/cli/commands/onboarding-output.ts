/**
 * How `hcc setup` and `hcc doctor` print findings, plans and the summary: problems first with
 * their fixes, then the table. Shared so both commands read the same.
 */
import type { DryRunPlan, Finding, SetupReport } from '../../onboarding';
import { formatTable } from '../../onboarding';

const MARK = { ok: '✓', warning: '!', error: '✗' } as const;

export function formatFindings(findings: readonly Finding[], options: { showOk?: boolean } = {}): string {
  const lines: string[] = [];
  for (const f of findings) {
    if (f.level === 'ok' && !options.showOk) continue;
    lines.push(`${MARK[f.level]} [${f.system}] ${f.check}: ${f.message}`);
    if (f.fix && f.level !== 'ok') lines.push(`    fix: ${f.fix}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function formatPlans(plans: readonly DryRunPlan[]): string {
  const lines: string[] = [];
  for (const p of plans) {
    const target = p.entity === 'order' ? 'Heartland' : 'Magento';
    lines.push(`${p.entity} ${p.subject} → ${target}: ${p.message}`);
    for (const r of p.requests) lines.push(`    ${r.method} ${r.path}${r.note ? `  (${r.note})` : ''}`);
    if (p.placeholders.length) lines.push(`    filled in when sent: ${[...new Set(p.placeholders)].slice(0, 6).join(', ')}${p.placeholders.length > 6 ? ', …' : ''}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function formatSetupReport(report: SetupReport): string {
  let out = '';
  const problems = formatFindings(report.findings);
  if (problems) out += `\nFindings:\n${problems}`;
  if (report.plans.length) out += `\nDry run (nothing was sent):\n${formatPlans(report.plans)}`;
  out += `\nSummary:\n${formatTable(['step', 'result', 'detail'], report.steps.map((s) => [s.step, s.status, s.detail]))}`;
  if (report.leftToDo.length) out += `\nLeft to do by hand:\n${report.leftToDo.map((t, i) => `${i + 1}. ${t}`).join('\n')}\n`;
  out += report.ok
    ? `\nSetup ${report.changed ? 'finished' : 'found nothing to change'}. Check any time with \`hcc doctor\`.\n`
    : '\nSetup stopped: fix the problems above (each has its fix) and run `hcc setup` again; it keeps what is already done.\n';
  return out;
}
