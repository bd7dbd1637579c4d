/**
 * The soak's time machine for the host process. The pipeline's persisted retries come back after
 * 1 m, 5 m, 15 m, 1 h … 24 h (lib/sync/retry-schedule.ts, not configurable), and its circuit
 * breakers stay open for a minute. A soak that waited for those in real time would take a day, so
 * the host child runs with its wall clock shifted forward by an offset the soak controls: every
 * `Date.now()` / `new Date()` in the process (the platform's systemClock included) reads real time
 * plus the offset. Timers (`setTimeout`) are untouched, so nothing inside runs faster or slower.
 *
 * Only the host process is shifted. The simulators and the state service keep real time, which is
 * harmless: the connector compares source versions with source versions, never with its own
 * clock, and state TTLs are relative. Commerce OAuth 1.0a signatures ARE clock-checked (600 s), so
 * the soak configures the host with a bearer token for Commerce (see host-process.ts).
 */
const RealDate = Date;
let offsetMs = 0;

class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [string | number | Date]));
  }
  static override now(): number {
    return RealDate.now() + offsetMs;
  }
}

let installed = false;

/** Replaces the global Date once; later calls only move the offset. */
export function installSkewedClock(initialOffsetMs = 0): void {
  offsetMs = initialOffsetMs;
  if (installed) return;
  installed = true;
  globalThis.Date = ShiftedDate as DateConstructor;
}

/** Moves the clock to real time + `nextOffsetMs`; it never goes backwards (leases and cursors assume that). */
export function setClockOffset(nextOffsetMs: number): number {
  if (!Number.isFinite(nextOffsetMs)) throw new Error(`clock offset must be a number of ms, got ${nextOffsetMs}`);
  offsetMs = Math.max(offsetMs, nextOffsetMs);
  return offsetMs;
}

export function clockOffset(): number {
  return offsetMs;
}
