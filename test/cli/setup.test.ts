/** The `hcc setup` and `hcc doctor` commands as a person or CI runs them: exit codes, messages, no secrets. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'hcc-cli-setup-'));
const cleanEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extra });
const hcc = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, ['bin/hcc.js', ...args], { encoding: 'utf8', env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });

const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('hcc setup', () => {
  it('refuses to prompt without a terminal and says what to use instead', () => {
    const run = hcc(['setup']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('stdin is not a terminal; use --non-interactive --config FILE');
  }, 20_000);

  it('names the config file problem: missing file, unknown key', () => {
    const missing = hcc(['setup', '--non-interactive', '--config', join(dir, 'nope.yaml')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.yaml: no such file');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ heartland: { baseUrl: 'http://h/api', apiToken: 't' }, commerce: { baseUrl: 'http://c/rest' }, choices: { stationid: 1 } }));
    const bad = hcc(['setup', '--non-interactive', '--config', file]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('choices: Unrecognized key: "stationid"');
  }, 20_000);

  it('stops at the first failing check with its fix and a summary, changing nothing and printing no secret', async () => {
    const port = await closedPort();
    const file = join(dir, 'unreachable.yaml');
    writeFileSync(file, `heartland:\n  baseUrl: http://127.0.0.1:${port}/api\n  apiToken: $HL\ncommerce:\n  baseUrl: http://127.0.0.1:${port}/rest\n  accessToken: very-secret-commerce\nenvFile: ${join(dir, 'never.env')}\n`);
    const run = hcc(['setup', '--non-interactive', '--config', file], { HL: 'very-secret-heartland' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('[heartland] connection: Heartland at');
    expect(run.stdout).toContain('the connection was refused');
    expect(run.stdout).toContain('fix: Check HEARTLAND_BASE_URL');
    expect(run.stdout).toMatch(/Summary:\nstep\s+result\s+detail/);
    expect(run.stdout).toContain('Setup stopped');
    expect(run.stdout + run.stderr).not.toContain('very-secret');
  }, 20_000);

  it('--non-interactive without a config reads the environment and names what is missing', () => {
    const run = hcc(['setup', '--non-interactive', '--json'], { HEARTLAND_API_TOKEN: 'very-secret-token' });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; findings: { missing?: string }[] };
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.missing)).toEqual(expect.arrayContaining(['HEARTLAND_BASE_URL', 'COMMERCE_BASE_URL']));
    expect(run.stdout).not.toContain('very-secret-token');
  }, 20_000);
});

describe('hcc doctor', () => {
  it('--json lists each check with its fix and exits 1', async () => {
    const port = await closedPort();
    const run = hcc(['doctor', '--json', '--timeout', '2000'], {
      HEARTLAND_BASE_URL: `http://127.0.0.1:${port}/api`,
      HEARTLAND_API_TOKEN: 'very-secret-token',
      HEARTLAND_WEBHOOK_SECRET: 's',
      COMMERCE_BASE_URL: `http://127.0.0.1:${port}/rest`,
      COMMERCE_ACCESS_TOKEN: 'c',
    });
    expect(run.status).toBe(1);
    const checks = JSON.parse(run.stdout) as { name: string; ok: boolean; kind: string; fix?: string }[];
    expect(checks[0]).toMatchObject({ name: 'settings', ok: true });
    expect(checks.find((c) => c.kind === 'unreachable')).toMatchObject({ ok: false, fix: expect.stringContaining('HEARTLAND_BASE_URL') });
    expect(run.stdout).not.toContain('very-secret-token');
  }, 20_000);
});
