import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../../lib/cli/hcc';
import { runDoctor } from '../../lib/cli/commands/doctor';

describe('hcc', () => {
  it('lists every command from CONTRACTS.md', async () => {
    const program = await buildProgram();
    const help = program.helpInformation();
    for (const command of ['map', 'suggest', 'sync', 'dlq', 'setup', 'doctor', 'report']) expect(help).toContain(command);
    const dlq = program.commands.find((c) => c.name() === 'dlq');
    expect(dlq?.commands.map((c) => c.name())).toEqual(['list', 'replay']);
    const report = program.commands.find((c) => c.name() === 'report');
    expect(report?.commands.map((c) => c.name())).toEqual(['channels']);
  });

  it('bin/hcc.js runs the TypeScript CLI: --help exits 0, bad options exit 1 naming the option', () => {
    const help = spawnSync(process.execPath, ['bin/hcc.js', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('doctor');
    const report = spawnSync(process.execPath, ['bin/hcc.js', 'report', 'channels', '--from', '2026-13-45', '--to', '2026-11-02'], { encoding: 'utf8' });
    expect(report.status).toBe(1);
    expect(report.stderr).toContain('--from must be a date');
    const usage = spawnSync(process.execPath, ['bin/hcc.js', 'report', 'channels'], { encoding: 'utf8' });
    expect(usage.status).toBe(1);
    expect(usage.stderr).toContain("'--from <date>'");
  }, 20_000);

  it('reads settings from --settings FILE and names a missing file', () => {
    // .env.example is complete, so only the (closed) sandbox ports can fail.
    const doctor = spawnSync(process.execPath, ['bin/hcc.js', '--settings', '.env.example', 'doctor', '--json', '--timeout', '500'], { encoding: 'utf8' });
    const checks = JSON.parse(doctor.stdout) as Array<{ name: string; ok: boolean }>;
    expect(checks[0]).toMatchObject({ name: 'settings', ok: true });
    const missing = spawnSync(process.execPath, ['bin/hcc.js', '--settings', 'no-such.env', 'doctor'], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no-such.env does not exist');
  }, 20_000);
});

describe('hcc doctor', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it('fails naming missing settings, without printing any value', async () => {
    const checks = await runDoctor({ HEARTLAND_API_TOKEN: 'very-secret-token' });
    expect(checks[0]).toMatchObject({ name: 'settings', ok: false });
    expect(checks[0].detail).toContain('HEARTLAND_BASE_URL is not set');
    expect(JSON.stringify(checks)).not.toContain('very-secret-token');
  });

  it('passes when settings are complete and both systems answer; fails when one does not', async () => {
    server = http.createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = {
      HEARTLAND_BASE_URL: `${url}/api`,
      HEARTLAND_API_TOKEN: 't',
      HEARTLAND_WEBHOOK_SECRET: 's',
      COMMERCE_BASE_URL: `${url}/rest`,
      COMMERCE_ACCESS_TOKEN: 'c',
    };
    const good = await runDoctor(env, { timeoutMs: 2_000 });
    expect(good.map((c) => c.ok)).toEqual([true, true, true]);
    const bad = await runDoctor({ ...env, COMMERCE_BASE_URL: 'http://127.0.0.1:1/rest' }, { timeoutMs: 2_000 });
    expect(bad.find((c) => c.name === 'commerce')).toMatchObject({ ok: false });
  });
});
