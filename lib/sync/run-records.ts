/**
 * Run records `run.<flow>.<yyyymmddhh>.<runId>` (30 days): one per unit of work, written once,
 * never updated, so concurrent activations never contend for a key (DESIGN.md §1.3). The hour in
 * the key lets the scheduler compact one flow-hour at a time and the panel page by hour.
 */
import type { StateStore } from '../platform/ports';
import { stateKey } from '../platform/state-key';
import { hourLabel } from './time-keys';
import type { RunRecord } from './types';

export const RUN_TTL_SECONDS = 30 * 24 * 3600;

export function runRecordKey(flow: string, endedAt: number, runId: string): string {
  return stateKey('run', flow, hourLabel(endedAt), runId);
}

/** `list` pattern for one flow-hour. */
export function runRecordMatch(flow: string, hour: string): string {
  return `${stateKey('run', flow, hour)}.*`;
}

export async function writeRunRecord(state: StateStore, record: RunRecord): Promise<string> {
  const key = runRecordKey(record.flow, record.endedAt, record.runId);
  await state.put(key, record, { ttlSeconds: RUN_TTL_SECONDS });
  return key;
}

/** Every run record of one flow-hour (scheduler compaction and the Activity page; uses `list`). */
export async function readRunRecords(state: StateStore, flow: string, hour: string): Promise<RunRecord[]> {
  const seen = new Set<string>();
  const out: RunRecord[] = [];
  for await (const key of state.list(runRecordMatch(flow, hour))) {
    if (seen.has(key)) continue;
    seen.add(key);
    const record = await state.get<RunRecord>(key);
    if (record) out.push(record);
  }
  return out;
}
