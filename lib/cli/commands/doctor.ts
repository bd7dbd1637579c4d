/**
 * `hcc doctor`: are the connection settings complete and valid, and do Heartland and Commerce
 * answer at their base URLs? Exits 1 on any problem. Values of secrets are never printed.
 */
import type { Command } from 'commander';
import { readConnectionSettings, settingsStatus } from '../../config/settings';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

async function reachable(url: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    // Any HTTP answer (even 401/404) proves the host is there; auth is checked by the flows.
    return { ok: true, detail: `answers HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, detail: `no answer (${cause ?? (error as Error).name})` };
  }
}

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

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check settings and connections; exits non-zero on problems')
    .option('--json', 'print the checks as JSON')
    .option('--timeout <ms>', 'per-connection timeout in ms', '5000')
    .action(async (options: { json?: boolean; timeout: string }) => {
      const timeoutMs = Number(options.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        process.stderr.write('hcc doctor: --timeout must be a positive number of milliseconds\n');
        process.exitCode = 1;
        return;
      }
      const checks = await runDoctor(process.env, { timeoutMs });
      if (options.json) process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
      else for (const check of checks) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
      if (checks.some((check) => !check.ok)) process.exitCode = 1;
    });
}
