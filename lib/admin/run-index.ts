/**
 * Which run records exist, from ONE `list('run.*')`. A state `list` scans the whole container
 * page by page wherever the match is (aio-lib-state and the sandbox's state service alike), so
 * listing per flow and hour would repeat that scan hundreds of times per page view. The keys
 * (`run.<flow>.<yyyymmddhh>.<runId>`) say flow and hour; records are then read with plain gets,
 * only for the flow-hours a route needs.
 */
import pLimit from 'p-limit';
import { parseStateKey } from '../platform/state-key';
import type { StateStore } from '../platform/ports';
import type { RunRecord } from '../sync';
import { parseHourLabel } from '../sync/time-keys';

export interface RunKey {
  key: string;
  flow: string;
  hour: string;
  hourStartMs: number;
}

/** Run record keys of these flows (all when omitted) in the hours [fromHourMs, toHourMs]. */
export async function listRunKeys(state: StateStore, filter: { flows?: ReadonlySet<string>; fromHourMs: number; toHourMs: number }): Promise<RunKey[]> {
  const seen = new Set<string>();
  const out: RunKey[] = [];
  for await (const key of state.list('run.*')) {
    if (seen.has(key)) continue; // the service may repeat keys across pages
    seen.add(key);
    const parts = parseStateKey(key);
    if (parts.length < 4) continue;
    const [, flow, hour] = parts;
    if (filter.flows && !filter.flows.has(flow)) continue;
    let hourStartMs: number;
    try {
      hourStartMs = parseHourLabel(hour);
    } catch {
      continue;
    }
    if (hourStartMs < filter.fromHourMs || hourStartMs > filter.toHourMs) continue;
    out.push({ key, flow, hour, hourStartMs });
  }
  return out;
}

/** The records behind the keys (expired ones left out), a few gets at a time. */
export async function readRuns(state: StateStore, keys: RunKey[]): Promise<RunRecord[]> {
  const limit = pLimit(16);
  const records = await Promise.all(keys.map((k) => limit(() => state.get<RunRecord>(k.key))));
  return records.filter((r): r is RunRecord => r !== undefined);
}

/** Keys grouped by `<flow>|<hour>`. */
export function byFlowHour(keys: RunKey[]): Map<string, RunKey[]> {
  const out = new Map<string, RunKey[]>();
  for (const k of keys) {
    const id = `${k.flow}|${k.hour}`;
    out.set(id, [...(out.get(id) ?? []), k]);
  }
  return out;
}
