/** Request-body validation for the simulator: zod issues become Heartland `details` (§2.5). */
import { z } from 'zod';
import { SimError, validationError } from './errors';

export function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SimError(400, 'invalid_request', 'Request body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const details: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'base';
    const absent = issue.path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), body) === undefined;
    (details[field] ??= []).push(issue.code === 'invalid_type' && absent ? "can't be blank" : issue.message);
  }
  throw validationError(details);
}

export const id = z.number({ error: 'must be an integer id' }).int('must be an integer id');
export const money = z.number({ error: 'must be a number' }).finite();
export const text = z.string({ error: 'must be a string' });
export const nonBlank = text.trim().min(1, "can't be blank");
export const custom = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), { error: 'must be an object of scalar values' });

/**
 * Custom fields may be written nested (`custom: {k: v}`) or flat (`"custom@k": v`) (§2.4).
 * Returns the body with both merged into `custom`.
 */
export function mergeFlatCustom(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  let flat: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('custom@')) (flat ??= {})[k.slice(7)] = v;
    else out[k] = v;
  }
  if (flat) {
    if (out.custom !== undefined && (typeof out.custom !== 'object' || out.custom === null || Array.isArray(out.custom))) return out;
    out.custom = { ...(out.custom as object | undefined), ...flat };
  }
  return out;
}

export function isEmail(value: string): boolean {
  return /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(value);
}
