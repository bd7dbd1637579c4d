/**
 * `hcc sync <flow> [--full]`: runs a flow now through the same code the scheduler runs.
 *
 * - without `--full`: one pass of the flow's polling feed (`pollFeed`, changes since its cursor);
 * - with `--full`: the flow's job (`<flow>-full`, else `<flow>`): planned with `startJob` and its
 *   chunks dispatched to `worker` with `superviseJob`, exactly as the nightly run, then followed
 *   until it ends. `--here` runs the chunks in this process instead of invoking `worker` (no
 *   Runtime needed: a self-hosted install or a laptop against the real systems).
 *
 * Generic on purpose: a flow area gets the command by registering a feed or a job.
 */
import type { Command } from 'commander';
import { createConnector } from '../../connector';
import { pollFeed, runWorkerChunk, startJob, superviseJob, type SyncDeps } from '../../sync';
import type { FeedDefinition, JobDefinition } from '../../sync/registry';
import type { JobProgress } from '../../sync/jobs';

export const SYNC_USAGE_EXIT_CODE = 2;

export interface SyncCommandOptions {
  full?: boolean;
  here?: boolean;
  json?: boolean;
  /** Give up following a job after this long (ms). */
  timeoutMs?: number;
  pollMs?: number;
}

export type SyncRunResult =
  | { kind: 'feed'; feed: string; units: number; pages: number; outcomes: Record<string, number>; cursor?: string; error?: string }
  | { kind: 'job'; job: string; jobId: string; status: string; done: number; failed: number; chunks: number };

export class SyncUsageError extends Error {
  readonly exitCode = SYNC_USAGE_EXIT_CODE;
}

function findFeed(deps: SyncDeps, flow: string): FeedDefinition | undefined {
  const names = [flow, `${flow}s`, flow.replace(/s$/, '')];
  return deps.registry.feeds().find((f) => names.includes(f.name));
}

function findJob(deps: SyncDeps, flow: string): JobDefinition<unknown> | undefined {
  const names = [`${flow}-full`, flow, `${flow.replace(/s$/, '')}-full`];
  for (const name of names) {
    const job = deps.registry.jobs().find((j) => j.name === name);
    if (job) return job;
  }
  return undefined;
}

/** Chunks run in this process: the invoker calls the worker's body directly (still non-blocking). */
function inProcessDeps(deps: SyncDeps): { deps: SyncDeps; idle: () => Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const local: SyncDeps = {
    ...deps,
    platform: {
      ...deps.platform,
      invoker: {
        async invoke(_action, params) {
          const p = runWorkerChunk(params, local).catch((error) => deps.platform.logger.error('chunk failed', { error: String(error) }));
          running.add(p);
          void p.finally(() => running.delete(p));
          return { activationId: `local-${running.size}-${Date.now()}` };
        },
      },
    },
  };
  return { deps: local, idle: async () => void (await Promise.allSettled([...running])) };
}

export async function runSync(deps: SyncDeps, flow: string, options: SyncCommandOptions = {}, progress: (p: JobProgress) => void = () => {}): Promise<SyncRunResult> {
  const clock = deps.platform.clock;
  if (!options.full) {
    const feed = findFeed(deps, flow);
    if (!feed) {
      const known = deps.registry.feeds().map((f) => f.name);
      throw new SyncUsageError(`flow "${flow}" has no polling feed; feeds: ${known.join(', ') || 'none'}${findJob(deps, flow) ? ` (try --full)` : ''}`);
    }
    const summary = await pollFeed(feed, deps, clock.now() + (options.timeoutMs ?? 50_000));
    return { kind: 'feed', feed: feed.name, units: summary.units, pages: summary.pages, outcomes: summary.outcomes as Record<string, number>, cursor: summary.cursor, error: summary.error };
  }
  const job = findJob(deps, flow);
  if (!job) {
    const known = deps.registry.jobs().map((j) => j.name);
    throw new SyncUsageError(`flow "${flow}" has no full run (job); jobs: ${known.join(', ') || 'none'}`);
  }
  const local = options.here ? inProcessDeps(deps) : undefined;
  const runDeps = local?.deps ?? deps;
  const record = await startJob(job.name, runDeps, { jobId: `${job.name}-${clock.now()}` });
  let last: JobProgress = { jobId: record.jobId, status: record.status, done: 0, failed: 0, inFlight: 0, dispatched: 0, redispatched: 0 };
  const deadline = clock.now() + (options.timeoutMs ?? 60 * 60_000);
  while (last.status === 'running') {
    last = (await superviseJob(record.jobId, runDeps)) ?? { ...last, status: 'failed' };
    progress(last);
    if (last.status !== 'running') break;
    if (clock.now() > deadline) break;
    await clock.sleep(options.pollMs ?? 1_000);
  }
  await local?.idle();
  return { kind: 'job', job: job.name, jobId: record.jobId, status: last.status, done: last.done, failed: last.failed, chunks: record.chunkCount };
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('run a flow now (inventory, product, customer, ...): its feed, or with --full its full job')
    .argument('<flow>', 'flow name')
    .option('--full', 'full run (e.g. inventory reconciliation) instead of changes since the last cursor')
    .option('--here', 'with --full: run the chunks in this process instead of invoking the worker action')
    .option('--json', 'print the result as JSON')
    .action(async (flow: string, opts: SyncCommandOptions) => {
      try {
        const connector = createConnector({ inputs: process.env });
        const result = await runSync(connector.deps, flow, opts, (p) => {
          if (!opts.json) process.stderr.write(`  ${p.jobId}: ${p.status}, ${p.done} done, ${p.failed} failed, ${p.inFlight} running\n`);
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else if (result.kind === 'feed') process.stdout.write(`${result.feed}: ${result.units} units in ${result.pages} pages ${JSON.stringify(result.outcomes)}${result.error ? `; error: ${result.error}` : ''}\n`);
        else process.stdout.write(`${result.job} ${result.jobId}: ${result.status} (${result.done}/${result.chunks} chunks done, ${result.failed} failed)\n`);
        if ((result.kind === 'job' && result.status !== 'done') || (result.kind === 'feed' && result.error)) process.exitCode = 1;
      } catch (error) {
        process.stderr.write(`hcc sync ${flow}: ${(error as Error).message}\n`);
        process.exitCode = error instanceof SyncUsageError ? SYNC_USAGE_EXIT_CODE : 1;
      }
    });
}
