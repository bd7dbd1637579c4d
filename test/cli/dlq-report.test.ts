import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { runDlqList, runDlqReplay } from '../../lib/cli/commands/dlq';
import { runChannelsReport } from '../../lib/cli/commands/report';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'hcc-cli-')), fresh: true, ports: { host: 0, heartland: 0, commerce: 0 }, alarms: false, seed: false, log: () => {} });
}, 60_000);
afterAll(async () => sandbox?.close());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: process.env }, out, err };
}

describe('hcc dlq', () => {
  it('lists dead letters (none yet) as a table and as JSON', async () => {
    const table = capture();
    expect(await runDlqList({}, table.io)).toBe(0);
    expect(table.out.join('')).toContain('no dead letters');
    const json = capture();
    expect(await runDlqList({ json: true }, json.io)).toBe(0);
    expect(JSON.parse(json.out.join(''))).toEqual([]);
  });

  it('rejects a bad status and a replay with nothing named, naming the problem', async () => {
    const bad = capture();
    expect(await runDlqList({ status: 'lost' }, bad.io)).toBe(1);
    expect(bad.err.join('')).toContain('--status must be one of open, replayed, discarded');
    const none = capture();
    expect(await runDlqReplay([], {}, none.io)).toBe(1);
    expect(none.err.join('')).toContain('name dead letter ids');
  });

  it('reports an unknown dead letter id without a stack trace', async () => {
    const unknown = capture();
    expect(await runDlqReplay(['order.nope'], {}, unknown.io)).toBe(1);
    expect(unknown.out.join('')).toMatch(/order\.nope\s+error/);
    expect(unknown.out.join('')).not.toMatch(/\bat .+\.ts:\d+/);
  });
});

describe('hcc report channels', () => {
  it('prints web and store rows per day and a CSV with a channel column', async () => {
    const table = capture();
    expect(await runChannelsReport({ from: '2026-11-01', to: '2026-11-02' }, table.io)).toBe(0);
    expect(table.out.join('')).toContain('totals: web');
    const csv = capture();
    expect(await runChannelsReport({ from: '2026-11-01', to: '2026-11-02', csv: true }, csv.io)).toBe(0);
    expect(csv.out.join('').split('\r\n')[0]).toBe('date,channel,netSales,orders,units,aov');
  });

  it('rejects a reversed range', async () => {
    const reversed = capture();
    expect(await runChannelsReport({ from: '2026-11-05', to: '2026-11-01' }, reversed.io)).toBe(1);
    expect(reversed.err.join('')).toContain('is after --to');
  });
});
