import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../lib/sync/registry';
import { chunkDoneKey, chunkKey, jobKey, runWorkerChunk, startJob, superviseJob } from '../../lib/sync/jobs';
import { runScheduler } from '../../lib/sync/scheduler';
import { createHarness } from './harness';

const MIN = 60_000;

function inventoryJob(pushed: string[][], options: { hour?: number } = {}) {
  return defineJob<{ skus: string[] }>({
    name: 'inventory-full',
    hour: options.hour,
    chunkLeaseMs: 10 * MIN,
    parallelChunks: 2,
    chunkSchema: z.object({ skus: z.array(z.string()) }),
    async plan() {
      return [{ skus: ['A', 'B'] }, { skus: ['C'] }, { skus: ['D', 'E'] }];
    },
    async runChunk(chunk) {
      pushed.push(chunk.skus);
      return { pushed: chunk.skus.length };
    },
  });
}

describe('jobs fanned out to workers', () => {
  it('Given a job of three chunks, When supervised, Then at most parallelChunks are dispatched to the worker action non-blocking', async () => {
    const h = createHarness();
    const pushed: string[][] = [];
    h.registry.registerJob(inventoryJob(pushed));
    const job = await startJob('inventory-full', h.deps, { jobId: 'inventory-full-manual' });
    expect(job).toMatchObject({ chunkCount: 3, status: 'running' });
    const progress = await superviseJob(job.jobId, h.deps);
    expect(progress).toMatchObject({ dispatched: 2, inFlight: 2 });
    expect(h.invocations).toEqual([
      { action: 'connector/worker', params: { jobId: 'inventory-full-manual', chunk: 0 }, blocking: false },
      { action: 'connector/worker', params: { jobId: 'inventory-full-manual', chunk: 1 }, blocking: false },
    ]);
  });

  it('Given a worker that died mid-chunk, When its lease passes without completion, Then the chunk is re-dispatched and the job finishes', async () => {
    const h = createHarness();
    const pushed: string[][] = [];
    h.registry.registerJob(inventoryJob(pushed));
    const { jobId } = await startJob('inventory-full', h.deps, { jobId: 'inv-1' });
    await superviseJob(jobId, h.deps); // chunks 0 and 1 dispatched

    // Worker for chunk 0 completes; the worker for chunk 1 is killed and never reports.
    expect(await runWorkerChunk({ jobId, chunk: 0 }, h.deps)).toMatchObject({ status: 'done', result: { pushed: 2 } });
    h.clock.advance(MIN);
    const mid = await superviseJob(jobId, h.deps);
    expect(mid).toMatchObject({ done: 1, inFlight: 2, dispatched: 1, redispatched: 0 }); // chunk 2 takes the free slot

    await runWorkerChunk({ jobId, chunk: 2 }, h.deps);
    h.clock.advance(10 * MIN);
    const after = await superviseJob(jobId, h.deps);
    expect(after).toMatchObject({ redispatched: 1, done: 2 });
    expect(h.invocations.at(-1)?.params).toEqual({ jobId, chunk: 1 });
    expect(await h.state.get(chunkKey(jobId, 1))).toMatchObject({ attempts: 2, status: 'dispatched' });

    await runWorkerChunk({ jobId, chunk: 1 }, h.deps);
    const end = await superviseJob(jobId, h.deps);
    expect(end).toMatchObject({ status: 'done', done: 3 });
    expect(await h.state.get(jobKey(jobId))).toMatchObject({ status: 'done', chunksDone: 3 });
    expect(pushed).toEqual([['A', 'B'], ['D', 'E'], ['C']]);
    // A late duplicate worker does not run the chunk again.
    expect(await runWorkerChunk({ jobId, chunk: 1 }, h.deps)).toMatchObject({ status: 'already-done' });
    expect(await h.files.list('jobs/active/')).toEqual([]);
  });

  it('Given a nightly job at 02:00 UTC, When scheduler passes run across the day, Then it starts once at or after 02:00', async () => {
    const h = createHarness();
    h.registry.registerJob(inventoryJob([], { hour: 2 }));
    h.clock.set(Date.UTC(2026, 10, 29, 1, 59));
    expect((await runScheduler(h.deps)).jobsStarted).toEqual([]);
    h.clock.set(Date.UTC(2026, 10, 29, 2, 1));
    expect((await runScheduler(h.deps)).jobsStarted).toEqual(['inventory-full-20261129']);
    h.clock.advance(MIN);
    const next = await runScheduler(h.deps);
    expect(next.jobsStarted).toEqual([]);
    expect(next.jobs?.[0]).toMatchObject({ jobId: 'inventory-full-20261129' });
  });

  it('rejects malformed worker params with a field-named 400 error', async () => {
    const h = createHarness();
    await expect(runWorkerChunk({ jobId: 'Bad Id', chunk: 0 }, h.deps)).rejects.toMatchObject({ status: 400, field: 'jobId' });
    await expect(runWorkerChunk({ jobId: 'missing', chunk: -1 }, h.deps)).rejects.toMatchObject({ status: 400, field: 'chunk' });
    await expect(runWorkerChunk({ jobId: 'missing', chunk: 0 }, h.deps)).rejects.toMatchObject({ status: 400, field: 'jobId' });
  });

  it('records a terminal chunk failure so it is not re-dispatched forever', async () => {
    const h = createHarness();
    h.registry.registerJob(
      defineJob<{ n: number }>({
        name: 'broken',
        async plan() {
          return [{ n: 1 }];
        },
        async runChunk() {
          throw new TypeError('bug in chunk code');
        },
      }),
    );
    const { jobId } = await startJob('broken', h.deps, { jobId: 'broken-1' });
    await superviseJob(jobId, h.deps);
    expect(await runWorkerChunk({ jobId, chunk: '0' }, h.deps)).toMatchObject({ status: 'failed', error: { reason: 'unexpected' } });
    expect(await h.state.get(chunkDoneKey(jobId, 0))).toMatchObject({ ok: false });
    expect(await superviseJob(jobId, h.deps)).toMatchObject({ status: 'failed', failed: 1 });
  });
});
