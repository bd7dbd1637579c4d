/**
 * Source fields for suggestions: sample records flattened into dotted paths with their values
 * (`addresses[].postcode` collects the postcode of every address), or a plain field list when
 * the merchant only has column names. Text input (a JSON object, a JSON array or a CSV with a
 * header row) is parsed here so the CLI and the admin API accept the same files.
 */
import { parse as parseCsv } from 'csv-parse/sync';

export interface SourceField {
  path: string;
  /** Every non-empty scalar value seen at this path across the samples. */
  values: unknown[];
}

/** A field named in a list, optionally with sample values. */
export interface DeclaredSourceField {
  path: string;
  values?: unknown[];
}

export type SuggestSource = Record<string, unknown> | Array<Record<string, unknown>> | Array<string | DeclaredSourceField>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Magento `custom_attributes: [{attribute_code, value}]` read as named fields, the way people think of them. */
function isAttributeList(value: unknown[]): value is Array<{ attribute_code: string; value: unknown }> {
  return value.length > 0 && value.every((entry) => isPlainObject(entry) && typeof entry.attribute_code === 'string' && 'value' in entry);
}

function collect(value: unknown, path: string, into: Map<string, unknown[]>, depth: number): void {
  if (depth > 8) return;
  if (Array.isArray(value)) {
    if (isAttributeList(value)) {
      for (const entry of value) collect(entry.value, `${path}.${entry.attribute_code}`, into, depth + 1);
      return;
    }
    if (value.every((entry) => isPlainObject(entry))) {
      for (const entry of value) collect(entry, `${path}[]`, into, depth + 1);
      return;
    }
    // A list of scalars (Magento `street`): each position is its own field.
    value.forEach((entry, index) => collect(entry, `${path}[${index}]`, into, depth + 1));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, member] of Object.entries(value)) collect(member, path ? `${path}.${key}` : key, into, depth + 1);
    return;
  }
  if (!path) return;
  const values = into.get(path) ?? [];
  if (value !== null && value !== undefined && value !== '') values.push(value);
  into.set(path, values);
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Flattens samples (one record, many records or a field list) into source fields in first-seen order. */
export function sourceFields(source: SuggestSource): SourceField[] {
  const into = new Map<string, unknown[]>();
  if (Array.isArray(source)) {
    if (source.length === 0) throw new SourceError('the source has no records or fields');
    if (source.every((entry) => typeof entry === 'string' || (isPlainObject(entry) && typeof entry.path === 'string' && Object.keys(entry).every((k) => k === 'path' || k === 'values')))) {
      for (const entry of source as Array<string | DeclaredSourceField>) {
        const field = typeof entry === 'string' ? { path: entry } : entry;
        if (field.path.trim() === '') throw new SourceError('the field list has an empty field name');
        into.set(field.path, [...(into.get(field.path) ?? []), ...(field.values ?? [])]);
      }
    } else {
      source.forEach((record, index) => {
        if (!isPlainObject(record)) throw new SourceError(`record ${index + 1} is not an object`);
        collect(record, '', into, 0);
      });
    }
  } else if (isPlainObject(source)) {
    collect(source, '', into, 0);
  } else {
    throw new SourceError('the source must be an object, an array of objects or a list of field names');
  }
  if (into.size === 0) throw new SourceError('the source has no fields');
  return [...into.entries()].map(([path, values]) => ({ path, values }));
}

/**
 * Reads sample text: JSON (object or array of objects) or CSV with a header row. CSV cells stay
 * strings; profiling reads `12.50` as money and `true` as a yes/no value either way.
 */
export function parseSampleText(text: string, name = 'input'): SuggestSource {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new SourceError(`${name} is empty`);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new SourceError(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    if (isPlainObject(value)) return value;
    if (Array.isArray(value)) {
      if (value.length === 0) throw new SourceError(`${name} is an empty JSON array`);
      const bad = value.findIndex((entry) => !isPlainObject(entry) && typeof entry !== 'string');
      if (bad >= 0) throw new SourceError(`${name}: element ${bad + 1} of the JSON array is not an object`);
      return value as SuggestSource;
    }
    throw new SourceError(`${name} must hold a JSON object or array, not ${value === null ? 'null' : typeof value}`);
  }
  let rows: string[][];
  try {
    rows = parseCsv(trimmed, { skip_empty_lines: true, relax_column_count: true, trim: true, delimiter: sniffDelimiter(trimmed) }) as string[][];
  } catch (error) {
    throw new SourceError(`${name} is neither JSON nor readable CSV: ${(error as Error).message}`);
  }
  const [header, ...data] = rows;
  if (!header || header.length < 2 || header.some((cell) => cell === '')) throw new SourceError(`${name} is neither JSON nor a CSV with a header row (every column needs a name)`);
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) throw new SourceError(`${name}: column "${column}" appears twice in the CSV header`);
    seen.add(column);
  }
  if (data.length === 0) return header.map((column) => ({ path: column }));
  return data.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i] ?? ''])));
}

/** Merchant exports come comma-, semicolon- or tab-separated; the header line tells which. */
function sniffDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0];
  const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0].n > 0 ? counts[0].d : ',';
}
