/** UTC hour and day labels used in state keys (`run.<flow>.<yyyymmddhh>.*`, `metrics.*`, `job.*`). */

const HOUR_MS = 3_600_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026112807` for 2026-11-28T07:xx UTC. */
export function hourLabel(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}`;
}

/** `20261128`. */
export function dayLabel(epochMs: number): string {
  return hourLabel(epochMs).slice(0, 8);
}

/** Start of the UTC hour containing `epochMs`. */
export function hourStart(epochMs: number): number {
  return Math.floor(epochMs / HOUR_MS) * HOUR_MS;
}

/** Epoch ms of an hour label; throws on a malformed label so a bad query names the problem. */
export function parseHourLabel(label: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(label);
  if (!m) throw new RangeError(`hour "${label}": expected yyyymmddhh (UTC)`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
  if (hourLabel(ms) !== label) throw new RangeError(`hour "${label}" is not a real UTC hour`);
  return ms;
}

export { HOUR_MS };
