/**
 * What a mapper returns for input from outside: the value, or the field problems. Results, not
 * exceptions, so a flow can dead-letter with the field at fault and the CLI can exit 1 cleanly.
 */
import type { z } from 'zod';
import { type FieldIssue, zodIssues } from './field-issues';

export type MapResult<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; issues: FieldIssue[] };

export function mapped<T>(value: T, warnings: string[] = []): MapResult<T> {
  return { ok: true, value, warnings };
}

export function mapFailed<T = never>(issues: FieldIssue[]): MapResult<T> {
  return { ok: false, issues };
}

/** Parses with a schema and reports every bad field with its value quoted. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = '',
): { ok: true; value: z.output<S> } | { ok: false; issues: FieldIssue[] } {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: zodIssues(result.error, prefix) };
}

/** Thrown only where a caller asked for the value unconditionally (`unwrap`). */
export class MappingInputError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
    this.name = 'MappingInputError';
  }
}

export function unwrap<T>(result: MapResult<T>): T {
  if (!result.ok) throw new MappingInputError(result.issues);
  return result.value;
}
