/**
 * Full inventory reconciliation (issue 8): nightly and on demand (`hcc sync inventory --full`,
 * the panel's button through `startInventoryReconciliation`). The plan splits the Heartland item
 * id space into ranges aligned to snapshot buckets; each `worker` chunk reads its range (keyset
 * paging on item id), computes the formula, diffs against the last-pushed snapshot AND Magento's
 * own source items (drift: someone or something changed Magento), and pushes only differences.
 *
 * Write calls stay near the lower bound ceil(changed / 500): a chunk pushes only whole batches of
 * 500 and leaves its remainder in a file; the chunk that finds every remainder present pushes them
 * together. A 1% change spread over 20 chunks is then 1–2 writes, not 20.
 */
import { z } from 'zod';
import { defineJob, startJob, superviseJob, type JobRecord, type SyncDeps, type TaskContext } from '../../sync';
import { createTaskContext } from '../../sync/task-context';
import { DEFAULT_CONNECTOR_SETTINGS, loadConnectorSettings } from '../../config/connector-settings';
import type { FileStore } from '../../platform/ports';
import { stockEnvOf } from './env';
import { BUCKET_SIZE, PushedSnapshot } from './snapshot';
import { commitPlan, planStock, type DriftRow, type StockEnv } from './stock-sync';
import { pushSourceItems } from './push';
import type { SourceQuantity } from './formula';
import { Item } from '../../heartland/payloads';

export const INVENTORY_RECONCILE_JOB = 'inventory-full';
/** Item ids per chunk: 10 snapshot buckets (~30,000 source items with three sources). */
export const ITEMS_PER_CHUNK = 10 * BUCKET_SIZE;
/** Drift rows kept per chunk in the report (counts are always complete). */
const DRIFT_ROWS_PER_CHUNK = 500;
/** SKUs per chunk whose Magento salable quantity is read for the report (one GET each). */
const SALABLE_SAMPLE_PER_CHUNK = 20;

/** Heartland's availability next to what Magento would sell, per drifting SKU (before the fix). */
export interface SalableDriftRow {
  sku: string;
  /** Σ qty_available at the mapped locations. */
  heartlandAvailable: number;
  /** Magento's salable quantity on the default stock (sources minus reservations). */
  magentoSalable: number | null;
}

export const reconcileChunkSchema = z.object({
  afterId: z.number().int().min(-1),
  toId: z.number().int().min(0),
  chunkCount: z.number().int().min(1),
  index: z.number().int().min(0),
  runId: z.string().regex(/^[a-z0-9-]{1,120}$/),
});
export type ReconcileChunk = z.infer<typeof reconcileChunkSchema>;

const runDir = (runId: string) => `inventory/reconcile/${runId}/`;
const restPath = (runId: string, index: number) => `${runDir(runId)}rest/${index}.json`;
const driftPath = (runId: string, index: number) => `${runDir(runId)}drift/${index}.json`;
const LATEST = 'inventory/reconcile/latest.json';

interface ChunkRest {
  items: Array<SourceQuantity & { itemId: number }>;
}

interface ChunkDrift {
  index: number;
  items: number;
  computed: number;
  changed: number;
  driftCount: number;
  missingInMagento: number;
  writeCalls: number;
  held?: { anomalyId: string; reasons: string[] };
  timings?: Record<string, number>;
  rows: DriftRow[];
  salable?: SalableDriftRow[];
}

export interface ReconcileChunkResult {
  index: number;
  items: number;
  changed: number;
  drift: number;
  writeCalls: number;
  held?: string;
  /** This chunk found every other remainder and pushed them. */
  pushedRemainders?: number;
}

/** Item id ranges covering Heartland's items, aligned to snapshot buckets (two tiny reads: lowest and highest id). */
async function planChunks(ctx: TaskContext, runId: string): Promise<ReconcileChunk[]> {
  const heartland = ctx.client('heartland');
  const edge = async (desc: boolean) =>
    (await heartland.page('items', Item, { sort: [{ field: 'id', desc }], perPage: 1, page: 1, only: ['id'] })).results[0]?.id;
  const minId = await edge(false);
  const maxId = await edge(true);
  const chunks: ReconcileChunk[] = [];
  if (minId !== undefined && maxId !== undefined) {
    const start = Math.floor(minId / BUCKET_SIZE) * BUCKET_SIZE;
    for (let from = start; from <= maxId; from += ITEMS_PER_CHUNK) chunks.push({ afterId: from - 1, toId: from + ITEMS_PER_CHUNK - 1, chunkCount: 0, index: chunks.length, runId });
    for (const c of chunks) c.chunkCount = chunks.length;
  }
  await ctx.files.write(LATEST, JSON.stringify({ runId, chunkCount: chunks.length, startedAt: new Date(ctx.clock.now()).toISOString() }));
  return chunks;
}

async function readJson<T>(files: FileStore, path: string): Promise<T | undefined> {
  const bytes = await files.read(path);
  return bytes ? (JSON.parse(bytes.toString('utf8')) as T) : undefined;
}

export async function runReconcileChunk(chunk: ReconcileChunk, env: StockEnv): Promise<ReconcileChunkResult> {
  const batchSize = env.push?.batchSize ?? 500;
  const plan = await planStock(env, { range: { afterId: chunk.afterId, toId: chunk.toId } }, { compareWithMagento: true, trigger: `reconciliation ${chunk.runId}` });
  const { result } = plan;
  const drift: ChunkDrift = {
    index: chunk.index,
    items: result.items,
    computed: result.computed,
    changed: result.changed,
    driftCount: result.drift.length,
    missingInMagento: result.drift.filter((d) => d.magento === null).length,
    writeCalls: 0,
    timings: result.timings,
    rows: result.drift.slice(0, DRIFT_ROWS_PER_CHUNK),
  };
  // Only SKUs Magento has: for a source item that does not exist yet there is nothing to compare.
  const sample = [...new Set(result.drift.filter((d) => d.magento !== null).map((d) => d.sku))].slice(0, SALABLE_SAMPLE_PER_CHUNK);
  drift.salable = await Promise.all(
    sample.map(async (sku) => ({
      sku,
      heartlandAvailable: result.availableBySku?.get(sku) ?? 0,
      magentoSalable: await env.commerce.inventory.salableQty(sku, 1).catch(() => null),
    })),
  );
  const out: ReconcileChunkResult = { index: chunk.index, items: result.items, changed: result.changed, drift: result.drift.length, writeCalls: 0 };
  let rest: ChunkRest = { items: [] };
  const pushStarted = env.clock.now();
  if (plan.verdict?.hold) {
    // Held: nothing of this chunk is written; the anomaly keeps the batch for approval.
    const committed = await commitPlan(env, plan, { trigger: `reconciliation ${chunk.runId}` });
    drift.held = committed.held;
    out.held = committed.held?.anomalyId;
  } else if (plan.changes.length) {
    const whole = Math.floor(plan.changes.length / batchSize) * batchSize;
    const now = plan.changes.slice(0, whole);
    if (now.length) {
      const pushed = await pushSourceItems(env.commerce, now, env.push);
      out.writeCalls += pushed.writeCalls;
      for (const c of now) plan.snapshot.set(plan.itemOf.get(c.sku)!, c);
      await plan.snapshot.save();
    }
    rest = { items: plan.changes.slice(whole).map((c) => ({ ...c, itemId: plan.itemOf.get(c.sku)! })) };
  }
  await env.files.write(restPath(chunk.runId, chunk.index), JSON.stringify(rest));
  // Write, then look: of two chunks finishing together, at least the later writer sees both files.
  const present = await env.files.list(`${runDir(chunk.runId)}rest/`);
  if (present.length >= chunk.chunkCount) {
    const pushed = await pushRemainders(env, chunk.runId, chunk.chunkCount);
    out.pushedRemainders = pushed.items;
    out.writeCalls += pushed.writeCalls;
  }
  drift.writeCalls = out.writeCalls;
  if (drift.timings) drift.timings.push = env.clock.now() - pushStarted;
  await env.files.write(driftPath(chunk.runId, chunk.index), JSON.stringify(drift));
  return out;
}

/** Pushes every chunk's remainder together, in whole batches. Idempotent (absolute values). */
async function pushRemainders(env: StockEnv, runId: string, chunkCount: number): Promise<{ items: number; writeCalls: number }> {
  const marker = `${runDir(runId)}remainders-pushed`;
  if (await env.files.read(marker)) return { items: 0, writeCalls: 0 };
  const all: Array<SourceQuantity & { itemId: number }> = [];
  for (let i = 0; i < chunkCount; i++) all.push(...((await readJson<ChunkRest>(env.files, restPath(runId, i)))?.items ?? []));
  let writeCalls = 0;
  if (all.length) {
    writeCalls = (await pushSourceItems(env.commerce, all.map(({ itemId: _id, ...c }) => c), env.push)).writeCalls;
    const snapshot = new PushedSnapshot(env.files);
    await snapshot.load(all.map((c) => c.itemId));
    for (const { itemId, ...c } of all) snapshot.set(itemId, c);
    await snapshot.save();
  }
  await env.files.write(marker, new Date(env.clock.now()).toISOString());
  return { items: all.length, writeCalls };
}

export const inventoryReconcileJob = defineJob<ReconcileChunk>({
  name: INVENTORY_RECONCILE_JOB,
  // The merchant's `schedules.nightlyHourUtc`, read at each scheduler pass; the default when unreadable.
  hour: DEFAULT_CONNECTOR_SETTINGS.schedules.nightlyHourUtc,
  hourFromSettings: async (state) => (await loadConnectorSettings(state)).schedules.nightlyHourUtc,
  chunkSchema: reconcileChunkSchema,
  parallelChunks: 4,
  chunkLeaseMs: 10 * 60_000,
  plan: (ctx) => planChunks(ctx, `run-${ctx.clock.now()}`),
  async runChunk(chunk, ctx) {
    return runReconcileChunk(chunk, await stockEnvOf(ctx));
  },
});

/** Starts a full reconciliation now and dispatches its first chunks (admin-api, CLI). */
export async function startInventoryReconciliation(deps: SyncDeps): Promise<JobRecord> {
  const job = await startJob(INVENTORY_RECONCILE_JOB, deps, { jobId: `${INVENTORY_RECONCILE_JOB}-${deps.platform.clock.now()}` });
  if (job.status === 'running') await superviseJob(job.jobId, deps);
  return job;
}

export interface DriftReport {
  runId: string;
  startedAt?: string;
  chunks: number;
  chunksReported: number;
  items: number;
  changed: number;
  drift: number;
  missingInMagento: number;
  writeCalls: number;
  /** Milliseconds per phase, summed over chunks (chunks run in parallel, so this exceeds wall time). */
  timings: Record<string, number>;
  held: Array<{ anomalyId: string; reasons: string[] }>;
  /** Up to 500 rows per chunk: Heartland (formula) vs Magento per SKU and source. */
  rows: DriftRow[];
  /** Up to 20 drifting SKUs per chunk: Heartland available vs Magento salable, read before the fix. */
  salable: SalableDriftRow[];
}

/** The drift report of a reconciliation run (the latest when no run id is given). */
export async function readDriftReport(files: FileStore, runId?: string): Promise<DriftReport | undefined> {
  const latest = await readJson<{ runId: string; chunkCount: number; startedAt: string }>(files, LATEST);
  const id = runId ?? latest?.runId;
  if (!id) return undefined;
  const paths = await files.list(`${runDir(id)}drift/`);
  const report: DriftReport = { runId: id, startedAt: latest?.runId === id ? latest.startedAt : undefined, chunks: latest?.runId === id ? latest.chunkCount : paths.length, chunksReported: 0, items: 0, changed: 0, drift: 0, missingInMagento: 0, writeCalls: 0, timings: {}, held: [], rows: [], salable: [] };
  for (const path of paths.sort()) {
    const chunk = await readJson<ChunkDrift>(files, path);
    if (!chunk) continue;
    report.chunksReported++;
    report.items += chunk.items;
    report.changed += chunk.changed;
    report.drift += chunk.driftCount;
    report.missingInMagento += chunk.missingInMagento;
    report.writeCalls += chunk.writeCalls;
    if (chunk.held) report.held.push(chunk.held);
    for (const [phase, ms] of Object.entries(chunk.timings ?? {})) report.timings[phase] = (report.timings[phase] ?? 0) + ms;
    report.rows.push(...chunk.rows);
    report.salable.push(...(chunk.salable ?? []));
  }
  return report;
}

/** Runs a whole reconciliation in this process through the job machinery (CLI, benchmark): plan, dispatch, supervise until done. */
export async function runInventoryReconciliation(deps: SyncDeps, options: { pollMs?: number; timeoutMs?: number } = {}): Promise<{ job: JobRecord; report?: DriftReport }> {
  const job = await startInventoryReconciliation(deps);
  const deadline = deps.platform.clock.now() + (options.timeoutMs ?? 30 * 60_000);
  let status = job.status;
  while (status === 'running') {
    if (deps.platform.clock.now() > deadline) throw new Error(`inventory reconciliation ${job.jobId} did not finish in time`);
    await deps.platform.clock.sleep(options.pollMs ?? 200);
    status = (await superviseJob(job.jobId, deps))?.status ?? 'failed';
  }
  const ctx = createTaskContext(deps, { owner: 'inventory reconciliation report', deadlineMs: deps.platform.clock.now() + 60_000 });
  const latest = await readJson<{ runId: string }>(ctx.files, LATEST);
  return { job: { ...job, status }, report: await readDriftReport(ctx.files, latest?.runId) };
}
