/**
 * Field paths in mapping rules and filters: `customer.email`, `lines[0].sku`, `lines[].sku` (every
 * line), `custom.tracking_number`. Keys with other characters are written in quotes: `custom["web?"]`.
 */

export type PathSegment = { key: string } | { index: number } | { each: true };

const SEGMENT = /^(?:\.?([A-Za-z_$@][\w$@-]*)|\[(\d+)\]|\[\]|\[\*\]|\["((?:[^"\\]|\\.)*)"\])/;

export class PathSyntaxError extends Error {
  constructor(readonly path: string, readonly at: number) {
    super(`cannot read path "${path}" at character ${at + 1}`);
    this.name = 'PathSyntaxError';
  }
}

const cache = new Map<string, PathSegment[]>();

export function parsePath(path: string): PathSegment[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const segments: PathSegment[] = [];
  let rest = path;
  let at = 0;
  if (rest === '') throw new PathSyntaxError(path, 0);
  while (rest.length > 0) {
    if (segments.length === 0 && rest.startsWith('.')) throw new PathSyntaxError(path, at);
    const m = SEGMENT.exec(rest);
    if (!m) throw new PathSyntaxError(path, at);
    if (m[1] !== undefined) segments.push({ key: m[1] });
    else if (m[2] !== undefined) segments.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) segments.push({ key: m[3].replace(/\\(.)/g, '$1') });
    else segments.push({ each: true });
    rest = rest.slice(m[0].length);
    at += m[0].length;
  }
  if (cache.size > 1000) cache.clear();
  cache.set(path, segments);
  return segments;
}

export function isValidPath(path: string, { allowEach = true } = {}): boolean {
  try {
    const segments = parsePath(path);
    return allowEach || !segments.some((s) => 'each' in s);
  } catch {
    return false;
  }
}

/** Every value the path reaches (`lines[].sku` reaches one per line); missing branches are skipped. */
export function getAll(source: unknown, path: string): unknown[] {
  let current: unknown[] = [source];
  for (const segment of parsePath(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || value === undefined) continue;
      if ('each' in segment) {
        if (Array.isArray(value)) next.push(...value);
      } else if ('index' in segment) {
        if (Array.isArray(value) && segment.index < value.length) next.push(value[segment.index]);
      } else if (typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, segment.key)) {
        next.push((value as Record<string, unknown>)[segment.key]);
      }
    }
    current = next;
  }
  return current;
}

/** The single value at a path; for a path with `[]`, the list of values reached. */
export function getPath(source: unknown, path: string): unknown {
  const segments = parsePath(path);
  const values = getAll(source, path);
  if (segments.some((s) => 'each' in s)) return values;
  return values[0];
}

/** Writes a value, creating objects and arrays on the way. `[]` is not allowed in a target path. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = parsePath(path);
  if (segments.some((s) => 'each' in s)) throw new PathSyntaxError(path, path.indexOf('['));
  let node: Record<string, unknown> | unknown[] = target;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const key = 'index' in segment ? segment.index : (segment as { key: string }).key;
    if (last) {
      (node as Record<string | number, unknown>)[key] = value;
      return;
    }
    const nextSegment = segments[i + 1];
    let child = (node as Record<string | number, unknown>)[key];
    if (child === null || typeof child !== 'object') {
      child = 'index' in nextSegment ? [] : {};
      (node as Record<string | number, unknown>)[key] = child;
    }
    node = child as Record<string, unknown>;
  });
}

/** Removes the value at a path (used when a rule maps to "no value"). */
export function deletePath(target: Record<string, unknown>, path: string): void {
  const segments = parsePath(path);
  const parentPath = segments.slice(0, -1);
  let node: unknown = target;
  for (const s of parentPath) {
    if (node === null || typeof node !== 'object') return;
    node = 'index' in s ? (node as unknown[])[s.index] : (node as Record<string, unknown>)[(s as { key: string }).key];
  }
  const last = segments[segments.length - 1];
  if (node && typeof node === 'object' && 'key' in last) delete (node as Record<string, unknown>)[last.key];
}
