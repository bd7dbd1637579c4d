/**
 * Anomaly records: what was detected, with its evidence, and what a person decided.
 *
 * Keys (all 90 days):
 * - `anomaly.<id>`: the record. Written once by the detector; afterwards only by a person's
 *   approve/reject, so there is no concurrent read-modify-write on it (DESIGN.md §1.3).
 * - `anomaly.day.<yyyymmdd>`: ids detected that day, so the panel lists recent anomalies with a
 *   handful of reads instead of the slow, eventually consistent `list`. Appending is a
 *   read-modify-write; anomalies are rare, the append re-reads to confirm it landed, and
 *   `rebuildIndex` (the scheduler's nightly job, the only place `list` is used) repairs a lost one.
 * - `anomaly.hold.<flow>`: the id of the flow's open hold, so a flow checks "am I held?" with one get.
 * Large evidence and the held batch itself go to the FileStore (`anomalies/<id>.json`).
 */
import { randomBytes } from 'node:crypto';
import type { Clock, FileStore, StateStore } from '../../platform/ports';
import { systemClock } from '../../platform/ports';
import { stateKey } from '../../platform/state-key';

export const ANOMALY_TTL_SECONDS = 90 * 24 * 3600;
export const ANOMALY_KINDS = ['stock_wipe', 'price_change', 'order_total', 'order_rate', 'stock_delta', 'error_rate', 'latency', 'fraud', 'other'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
export type AnomalyStatus = 'open' | 'approved' | 'rejected';

export interface Anomaly {
  id: string;
  kind: AnomalyKind;
  flow: string;
  /** ISO-8601 UTC. */
  detectedAt: string;
  summary: string;
  /** The evidence: numbers, thresholds, samples. Replaced by `detailsFile` when large. */
  details: Record<string, unknown>;
  /** FileStore path with the full details and the held payload, when there is one. */
  detailsFile?: string;
  /** True when work (a batch, an order) waits on this decision. */
  holds: boolean;
  status: AnomalyStatus;
  decidedAt?: string;
  decidedBy?: string;
  note?: string;
}

export interface RecordAnomalyInput {
  kind: AnomalyKind;
  flow: string;
  summary: string;
  details: Record<string, unknown>;
  /** Hold the flow's batch until decided. */
  hold?: boolean;
  /** The held work itself (e.g. the stock batch), kept in the FileStore for the approval to apply. */
  payload?: unknown;
}

export interface DecideInput {
  by: string;
  note?: string;
}

export class AnomalyNotFoundError extends Error {
  readonly status = 404;
  constructor(readonly id: string) {
    super(`anomaly "${id}" does not exist (or expired after 90 days)`);
    this.name = 'AnomalyNotFoundError';
  }
}

export class AnomalyAlreadyDecidedError extends Error {
  readonly status = 409;
  constructor(readonly anomaly: Anomaly) {
    super(`anomaly "${anomaly.id}" was already ${anomaly.status} by ${anomaly.decidedBy ?? 'someone'} at ${anomaly.decidedAt ?? 'an unknown time'}`);
    this.name = 'AnomalyAlreadyDecidedError';
  }
}

/** Details above this size (JSON characters) move to the FileStore. */
const INLINE_DETAILS_LIMIT = 100_000;
const ID_PATTERN = /^\d{14}-[a-z0-9]{8}$/;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);

export interface AnomalyRepositoryDeps {
  state: StateStore;
  files?: FileStore;
  clock?: Clock;
}

export function createAnomalyRepository(deps: AnomalyRepositoryDeps) {
  const { state, files } = deps;
  const clock = deps.clock ?? systemClock;
  const ttl = { ttlSeconds: ANOMALY_TTL_SECONDS };
  const recordKey = (id: string) => stateKey('anomaly', id);
  const dayKey = (yyyymmdd: string) => stateKey('anomaly', 'day', yyyymmdd);
  const holdKey = (flow: string) => stateKey('anomaly', 'hold', flow);

  async function appendToDay(yyyymmdd: string, id: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const ids = (await state.get<string[]>(dayKey(yyyymmdd))) ?? [];
      if (ids.includes(id)) return;
      await state.put(dayKey(yyyymmdd), [...ids, id], ttl);
      // Another detector may have appended at the same moment and overwritten us: look again.
      const check = (await state.get<string[]>(dayKey(yyyymmdd))) ?? [];
      if (check.includes(id)) return;
      await clock.sleep(20 + Math.floor(Math.random() * 80));
    }
  }

  async function get(id: string): Promise<Anomaly | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    return state.get<Anomaly>(recordKey(id));
  }

  async function decide(id: string, status: 'approved' | 'rejected', input: DecideInput): Promise<Anomaly> {
    if (!input.by || input.by.trim() === '') throw new TypeError('a decision needs "by": who approved or rejected it');
    const anomaly = await get(id);
    if (!anomaly) throw new AnomalyNotFoundError(id);
    if (anomaly.status !== 'open') throw new AnomalyAlreadyDecidedError(anomaly);
    const decided: Anomaly = { ...anomaly, status, decidedAt: new Date(clock.now()).toISOString(), decidedBy: input.by, ...(input.note ? { note: input.note } : {}) };
    await state.put(recordKey(id), decided, ttl);
    if (anomaly.holds && (await state.get<string>(holdKey(anomaly.flow))) === id) await state.delete(holdKey(anomaly.flow));
    return decided;
  }

  return {
    async record(input: RecordAnomalyInput): Promise<Anomaly> {
      if (!(ANOMALY_KINDS as readonly string[]).includes(input?.kind)) throw new TypeError(`anomaly kind must be one of ${ANOMALY_KINDS.join(', ')}, not ${JSON.stringify(input?.kind)}`);
      if (typeof input.flow !== 'string' || !/^[a-z][a-z0-9-]{0,63}$/.test(input.flow)) throw new TypeError(`anomaly flow must be a flow name such as "inventory", not ${JSON.stringify(input.flow)}`);
      if (typeof input.summary !== 'string' || input.summary.trim() === '') throw new TypeError('anomaly summary must say what was found');
      if (!input.details || typeof input.details !== 'object') throw new TypeError('anomaly details must be an object with the evidence');
      const now = clock.now();
      const id = `${stamp(now)}-${randomBytes(5).toString('hex').slice(0, 8)}`;
      let details = input.details;
      let detailsFile: string | undefined;
      const detailsJson = JSON.stringify(input.details);
      if (input.payload !== undefined || detailsJson.length > INLINE_DETAILS_LIMIT) {
        if (!files) throw new Error(`anomaly ${input.kind} for ${input.flow}: ${input.payload !== undefined ? 'a held payload' : 'large details'} need a FileStore`);
        detailsFile = `anomalies/${id}.json`;
        await files.write(detailsFile, JSON.stringify({ details: input.details, payload: input.payload ?? null }));
        if (detailsJson.length > INLINE_DETAILS_LIMIT) details = { truncated: true, note: `full details in ${detailsFile}` };
      }
      const anomaly: Anomaly = {
        id,
        kind: input.kind,
        flow: input.flow,
        detectedAt: new Date(now).toISOString(),
        summary: input.summary,
        details,
        ...(detailsFile ? { detailsFile } : {}),
        holds: input.hold === true,
        status: 'open',
      };
      await state.put(recordKey(id), anomaly, ttl);
      await appendToDay(day(now), id);
      if (anomaly.holds) await state.put(holdKey(input.flow), id, ttl);
      return anomaly;
    },

    get,

    /** The full details and the held payload (from the FileStore), when the record has them. */
    async loadPayload(id: string): Promise<{ details: Record<string, unknown>; payload: unknown } | undefined> {
      const anomaly = await get(id);
      if (!anomaly) throw new AnomalyNotFoundError(id);
      if (!anomaly.detailsFile || !files) return undefined;
      const data = await files.read(anomaly.detailsFile);
      return data ? (JSON.parse(data.toString('utf8')) as { details: Record<string, unknown>; payload: unknown }) : undefined;
    },

    /** Recent anomalies, newest first: one read per day, then the records. */
    async listRecent(options: { days?: number; status?: AnomalyStatus; flow?: string } = {}): Promise<Anomaly[]> {
      const days = Math.min(Math.max(1, options.days ?? 7), 90);
      const now = clock.now();
      const ids: string[] = [];
      for (let d = 0; d < days; d++) ids.push(...((await state.get<string[]>(dayKey(day(now - d * 86_400_000)))) ?? []));
      const records = (await Promise.all([...new Set(ids)].map((id) => get(id)))).filter((a): a is Anomaly => a !== undefined);
      return records
        .filter((a) => (!options.status || a.status === options.status) && (!options.flow || a.flow === options.flow))
        .sort((a, b) => b.id.localeCompare(a.id));
    },

    /** The open hold on a flow, if any: what a flow checks before pushing a batch. */
    async openHold(flow: string): Promise<Anomaly | undefined> {
      const id = await state.get<string>(holdKey(flow));
      if (!id) return undefined;
      const anomaly = await get(id);
      return anomaly?.status === 'open' ? anomaly : undefined;
    },

    approve: (id: string, input: DecideInput) => decide(id, 'approved', input),
    reject: (id: string, input: DecideInput) => decide(id, 'rejected', input),

    /** Off the hot path (nightly): re-indexes every record by its day, repairing any lost append. */
    async rebuildIndex(): Promise<{ indexed: number }> {
      const byDay = new Map<string, string[]>();
      for await (const key of state.list('anomaly.*')) {
        const id = key.slice('anomaly.'.length);
        if (!ID_PATTERN.test(id)) continue;
        const yyyymmdd = id.slice(0, 8);
        byDay.set(yyyymmdd, [...(byDay.get(yyyymmdd) ?? []), id]);
      }
      let indexed = 0;
      for (const [yyyymmdd, ids] of byDay) {
        const current = (await state.get<string[]>(dayKey(yyyymmdd))) ?? [];
        const merged = [...new Set([...current, ...ids])].sort();
        indexed += merged.length;
        await state.put(dayKey(yyyymmdd), merged, ttl);
      }
      return { indexed };
    },
  };
}

export type AnomalyRepository = ReturnType<typeof createAnomalyRepository>;
