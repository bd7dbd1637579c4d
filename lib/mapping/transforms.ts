/** The small value transforms a mapping rule may chain: trim, upper/lower, number, date, join/split, default. */
import { z } from 'zod';

export const Transform = z.preprocess(
  // `"trim"` is shorthand for `{ "op": "trim" }`.
  (v) => (typeof v === 'string' ? { op: v } : v),
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('trim') }),
    z.strictObject({ op: z.literal('upper') }),
    z.strictObject({ op: z.literal('lower') }),
    z.strictObject({ op: z.literal('number') }),
    z.strictObject({
      op: z.literal('date'),
      /** Tokens: YYYY MM DD HH mm ss, or `iso`; always UTC. */
      format: z.string().min(1),
    }),
    z.strictObject({ op: z.literal('join'), separator: z.string().default(' ') }),
    z.strictObject({ op: z.literal('split'), separator: z.string().min(1) }),
    z.strictObject({ op: z.literal('default'), value: z.unknown() }),
  ]),
);
export type Transform = z.output<typeof Transform>;

export class TransformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransformError';
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats a date in UTC with `YYYY-MM-DD HH:mm:ss`-style tokens, or `iso`. */
export function formatDate(value: unknown, format: string): string {
  const text = String(value);
  // Magento sends `2017-08-21 22:22:19` in UTC without a zone; read it as UTC, not local time.
  const normalized = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const date = typeof value === 'number' ? new Date(value) : new Date(normalized);
  if (Number.isNaN(date.getTime())) throw new TransformError(`cannot read ${JSON.stringify(value)} as a date`);
  if (format === 'iso') return date.toISOString();
  return format.replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => {
    switch (token) {
      case 'YYYY': return pad(date.getUTCFullYear(), 4);
      case 'MM': return pad(date.getUTCMonth() + 1);
      case 'DD': return pad(date.getUTCDate());
      case 'HH': return pad(date.getUTCHours());
      case 'mm': return pad(date.getUTCMinutes());
      default: return pad(date.getUTCSeconds());
    }
  });
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

export function applyTransform(value: unknown, transform: Transform): unknown {
  if (transform.op === 'default') return isEmpty(value) ? transform.value : value;
  if (value === undefined || value === null) return value;
  const each = (fn: (v: unknown) => unknown) => (Array.isArray(value) ? value.map(fn) : fn(value));
  switch (transform.op) {
    case 'trim': return each((v) => (typeof v === 'string' ? v.trim() : v));
    case 'upper': return each((v) => (typeof v === 'string' ? v.toUpperCase() : v));
    case 'lower': return each((v) => (typeof v === 'string' ? v.toLowerCase() : v));
    case 'number': return each((v) => {
      if (typeof v === 'number') return v;
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN;
      if (Number.isNaN(n)) throw new TransformError(`expected a number, got ${JSON.stringify(v)}`);
      return n;
    });
    case 'date': return each((v) => formatDate(v, transform.format));
    case 'join': return Array.isArray(value) ? value.filter((v) => !isEmpty(v)).join(transform.separator) : value;
    case 'split': return typeof value === 'string' ? value.split(transform.separator).map((s) => s.trim()).filter((s) => s !== '') : value;
  }
}
