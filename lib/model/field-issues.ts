/**
 * Field-level problems in words a merchant can act on: `lines[2].qty: expected a number, got "abc"`.
 * Every boundary (mappers, mapping documents, the CLI) reports zod failures through here so the
 * messages look the same everywhere and never leak a stack trace.
 */
import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path with array indexes, e.g. `items[2].qty_ordered`; empty for the whole input. */
  path: string;
  message: string;
}

/** `['lines', 2, 'qty']` → `lines[2].qty`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

const ARTICLE: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  int: 'a whole number',
};

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** One zod issue as a sentence. Needs `reportInput: true` on the parse to quote the bad value. */
export function describeZodIssue(issue: z.core.$ZodIssue): string {
  const withInput = issue as z.core.$ZodIssue & { input?: unknown };
  switch (issue.code) {
    case 'invalid_type': {
      if (!('input' in withInput) || withInput.input === undefined) return 'required';
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      return `expected ${expected}, got ${show(withInput.input)}`;
    }
    case 'invalid_union': {
      if (!('input' in withInput) || withInput.input === undefined) return 'required';
      if ('discriminator' in issue && issue.discriminator) {
        return `expected one of ${(issue as { options?: unknown[] }).options?.map((o) => JSON.stringify(o)).join(', ') ?? 'the known kinds'}`;
      }
      // A "number or numeric string" union: say what was expected, as for a plain type error.
      const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
      const expected = [
        ...new Set(branches.flat().filter((i) => i.code === 'invalid_type' && i.path.length === 0).map((i) => (i as { expected: string }).expected)),
      ].map((e) => ARTICLE[e] ?? e);
      if (expected.length) return `expected ${expected.join(' or ')}, got ${show(withInput.input)}`;
      return `does not match any accepted shape (got ${show(withInput.input)})`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(withInput.input)}`;
    case 'too_small': {
      // Custom messages ("must be more than 0") win; zod's defaults are reworded.
      if (!issue.message.startsWith('Too small')) return issue.message;
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && min === 1) return 'required';
      if (issue.origin === 'array') return `needs at least ${min} item${min === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${min}, got ${show(withInput.input)}`;
    }
    case 'too_big': {
      if (!issue.message.startsWith('Too big')) return issue.message;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${Number(issue.maximum)}, got ${show(withInput.input)}`;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

export function zodIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    // An unknown-key issue names the keys itself; keep its path at the parent object.
    return { path: formatPath(issue.path, prefix), message: describeZodIssue(issue) };
  });
}

/** `path: message` lines, the form the CLI prints and dead letters store. */
export function issuesToText(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}
