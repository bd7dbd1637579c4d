/**
 * `hcc doctor`: the checks `hcc setup` makes, without changing anything, reading the same
 * environment variables as the actions (`HEARTLAND_API_TOKEN=… hcc doctor` checks that token):
 * settings, reachability, credentials, Heartland permissions, Commerce ACL resources and modules,
 * the connector settings against both systems, event subscriptions, SKU matching and duplicate
 * emails. Exits 1 when anything is wrong, each problem with its fix. Secrets are never printed.
 * `--quick` only checks that the settings are complete and both hosts answer.
 */
import type { Command } from 'commander';
import { readConnectionSettings, settingsStatus } from '../../config/settings';
import { createProgress, hasErrors, runDoctor as runOnboardingDoctor, type Finding } from '../../onboarding';
import { formatFindings } from './onboarding-output';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

async function reachable(url: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    // Any HTTP answer (even 401/404) proves the host is there; the full doctor checks auth.
    return { ok: true, detail: `answers HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, detail: `no answer (${cause ?? (error as Error).name})` };
  }
}

/** The quick check: settings complete, both hosts answer (`hcc doctor --quick`). */
export async function runDoctor(env: Record<string, string | undefined>, options: { timeoutMs?: number } = {}): Promise<DoctorCheck[]> {
  const status = settingsStatus(env);
  const checks: DoctorCheck[] = [
    {
      name: 'settings',
      ok: status.configured,
      detail: status.configured
        ? `complete (Commerce auth: ${status.commerceAuth})`
        : [...status.missing.map((name) => `${name} is not set`), ...status.invalid.map((p) => p.message)].join('; '),
    },
  ];
  const reading = readConnectionSettings(env);
  if (reading.ok) {
    const timeoutMs = options.timeoutMs ?? 5_000;
    checks.push({ name: 'heartland', ...(await reachable(reading.settings.heartland.baseUrl, timeoutMs)) });
    checks.push({ name: 'commerce', ...(await reachable(reading.settings.commerce.baseUrl, timeoutMs)) });
  }
  return checks;
}

/** A finding in the JSON shape of the quick checks (`name`, `ok`, `detail`) plus its fix. */
function asCheck(f: Finding) {
  return { name: f.check, ok: f.level !== 'error', detail: f.message, level: f.level, system: f.system, kind: f.kind, ...(f.missing ? { missing: f.missing } : {}), ...(f.fix ? { fix: f.fix } : {}) };
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check settings, connections, permissions, ACL, modules and maps without changing anything; exits non-zero on problems')
    .option('--json', 'print the checks as JSON')
    .option('--quick', 'only check that the settings are complete and both hosts answer')
    .option('--timeout <ms>', 'per-request timeout in ms', '10000')
    .action(async (options: { json?: boolean; quick?: boolean; timeout: string }) => {
      const timeoutMs = Number(options.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        process.stderr.write('hcc doctor: --timeout must be a positive number of milliseconds\n');
        process.exitCode = 1;
        return;
      }
      if (options.quick) {
        const checks = await runDoctor(process.env, { timeoutMs });
        if (options.json) process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
        else for (const check of checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
        if (checks.some((check) => !check.ok)) process.exitCode = 1;
        return;
      }
      const progress = options.json ? undefined : createProgress({ write: (t) => process.stderr.write(t), tty: Boolean(process.stderr.isTTY) });
      const findings = await runOnboardingDoctor(process.env, { timeoutMs, progress });
      if (options.json) process.stdout.write(JSON.stringify(findings.map(asCheck), null, 2) + '\n');
      else {
        process.stdout.write(formatFindings(findings, { showOk: true }));
        const errors = findings.filter((f) => f.level === 'error').length;
        const warnings = findings.filter((f) => f.level === 'warning').length;
        process.stdout.write(errors ? `\n${errors} problem${errors === 1 ? '' : 's'} to fix${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}.\n` : `\nAll good${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.\n`);
      }
      if (hasErrors(findings)) process.exitCode = 1;
    });
}
