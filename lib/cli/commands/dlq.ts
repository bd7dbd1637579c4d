/**
 * `hcc dlq list [--flow F] [--status S] [--json]` and `hcc dlq replay [ids...] [--flow F] [--all]`:
 * the dead letters the panel shows, for integration engineers at a terminal. Both go through
 * lib/sync (the same functions the admin-api uses) against the connector's state, so a replay
 * runs the current flow code and mapping and never duplicates what already reached the target.
 * Connection settings come from the environment, like every hcc command.
 */
import type { Command } from 'commander';
import { createConnector } from '../../connector';
import { listDeadLetters, replayAll, replayDeadLetter, type DeadLetter, type UnitOutcome } from '../../sync';

export interface DlqIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
}

const STATUSES = ['open', 'replayed', 'discarded'] as const;

function table(rows: DeadLetter[]): string {
  if (rows.length === 0) return 'no dead letters\n';
  const lines = rows.map((d) => [d.id, d.status, String(d.attempts), d.field ?? '', d.error.replace(/\s+/g, ' ').slice(0, 100)]);
  const head = ['id', 'status', 'attempts', 'field', 'error'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(head), ...lines.map(fmt)].join('\n') + '\n';
}

export async function runDlqList(options: { flow?: string; status?: string; json?: boolean }, io: DlqIo): Promise<number> {
  if (options.status !== undefined && !(STATUSES as readonly string[]).includes(options.status)) {
    io.err(`hcc dlq list: --status must be one of ${STATUSES.join(', ')}, got "${options.status}"\n`);
    return 1;
  }
  const connector = createConnector({ inputs: io.env ?? process.env });
  const rows = await listDeadLetters({ flow: options.flow, status: options.status as DeadLetter['status'] | undefined }, connector.deps);
  rows.sort((a, b) => String(b.lastSeen ?? '').localeCompare(String(a.lastSeen ?? '')));
  io.out(options.json ? JSON.stringify(rows, null, 2) + '\n' : table(rows));
  return 0;
}

export async function runDlqReplay(ids: string[], options: { flow?: string; all?: boolean; json?: boolean }, io: DlqIo): Promise<number> {
  if (ids.length === 0 && !options.flow && !options.all) {
    io.err('hcc dlq replay: name dead letter ids, or --flow <flow>, or --all\n');
    return 1;
  }
  const connector = createConnector({ inputs: io.env ?? process.env });
  const results: Array<{ id: string; outcome: string; message?: string }> = [];
  if (ids.length > 0) {
    for (const id of ids) {
      try {
        const outcome: UnitOutcome = await replayDeadLetter(id, connector.deps);
        results.push({ id, outcome: outcome.outcome, ...(outcome.outcome === 'dead-lettered' ? { message: outcome.error.message } : {}) });
      } catch (error) {
        results.push({ id, outcome: 'error', message: (error as Error).message });
      }
    }
  } else {
    const { results: replayed, notAttempted } = await replayAll({ flow: options.flow }, connector.deps);
    for (const r of replayed) results.push({ id: r.id, outcome: r.outcome ?? 'not-attempted', ...(r.message ? { message: r.message } : {}) });
    for (const id of notAttempted) results.push({ id, outcome: 'not-attempted', message: 'time budget used up; run again' });
  }
  if (options.json) io.out(JSON.stringify(results, null, 2) + '\n');
  else if (results.length === 0) io.out('no open dead letters to replay\n');
  else for (const r of results) io.out(`${r.id}  ${r.outcome}${r.message ? `  ${r.message}` : ''}\n`);
  return results.some((r) => r.outcome === 'error' || r.outcome === 'dead-lettered') ? 1 : 0;
}

function report(run: () => Promise<number>, label: string): () => Promise<void> {
  return async () => {
    try {
      process.exitCode = await run();
    } catch (error) {
      // Errors name the field and the system (HttpError, UpstreamError); never a stack trace.
      process.stderr.write(`hcc ${label}: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  };
}

export function registerDlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('dead letters: units of work that could not be completed');
  dlq
    .command('list')
    .description('list dead letters')
    .option('--flow <flow>', 'only this flow')
    .option('--status <status>', 'open, replayed or discarded')
    .option('--json', 'print JSON')
    .action((options: { flow?: string; status?: string; json?: boolean }) =>
      report(() => runDlqList(options, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }), 'dlq list')(),
    );
  dlq
    .command('replay')
    .description('replay dead letters after a fix')
    .argument('[ids...]', 'dead letter ids')
    .option('--flow <flow>', 'every open dead letter of this flow')
    .option('--all', 'every open dead letter')
    .option('--json', 'print JSON')
    .action((ids: string[], options: { flow?: string; all?: boolean; json?: boolean }) =>
      report(() => runDlqReplay(ids, options, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }), 'dlq replay')(),
    );
}
