/**
 * Where the daily aggregates live: one small JSON file per day in the FileStore
 * (`insights/channels/days/<date>.json`), and a state marker per day whose source records changed
 * since it was computed (`insights.channels.dirty.<date>`, written by the scheduler feed).
 */
import type { FileStore, StateStore } from '../../platform/ports';
import { stateKey } from '../../platform/state-key';
import { AGGREGATE_VERSION, type DayAggregate } from './day-aggregate';

export const DAYS_FOLDER = 'insights/channels/days/';
/** Dirty markers outlive any sensible scheduler outage; a day older than that is recomputed on read anyway when missing. */
const DIRTY_TTL_SECONDS = 90 * 24 * 3600;

export const dayFile = (date: string) => `${DAYS_FOLDER}${date}.json`;
export const dirtyKey = (date: string) => stateKey('insights', 'channels', 'dirty', date);

export async function readDayAggregate(files: FileStore, date: string): Promise<DayAggregate | undefined> {
  const bytes = await files.read(dayFile(date));
  if (!bytes) return undefined;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as DayAggregate;
    // An aggregate written by an older layout is treated as missing, so it is recomputed.
    return parsed.version === AGGREGATE_VERSION && parsed.date === date ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function writeDayAggregate(files: FileStore, aggregate: DayAggregate): Promise<void> {
  await files.write(dayFile(aggregate.date), JSON.stringify(aggregate));
}

export interface DirtyMarker {
  /** Epoch ms of the newest change seen for the day. */
  markedAt: number;
}

export async function markDayDirty(state: StateStore, date: string, at: number): Promise<void> {
  await state.put(dirtyKey(date), { markedAt: at } satisfies DirtyMarker, { ttlSeconds: DIRTY_TTL_SECONDS });
}

export async function readDirtyMarker(state: StateStore, date: string): Promise<DirtyMarker | undefined> {
  return state.get<DirtyMarker>(dirtyKey(date));
}

/**
 * Clears the marker only when no newer change was marked after the computation started: a change
 * that lands while a day is being recomputed keeps the day dirty for the next pass.
 */
export async function clearDayDirty(state: StateStore, date: string, computedFrom: number): Promise<void> {
  const marker = await readDirtyMarker(state, date);
  if (marker && marker.markedAt <= computedFrom) await state.delete(dirtyKey(date));
}

/** Days currently marked dirty, oldest first. */
export async function listDirtyDays(state: StateStore): Promise<string[]> {
  const days = new Set<string>();
  const prefix = stateKey('insights', 'channels', 'dirty');
  for await (const key of state.list(`${prefix}.*`)) {
    const date = key.slice(prefix.length + 1);
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) days.add(date);
  }
  return [...days].sort();
}
