/**
 * FileStore path rules shared by the filesystem, memory and aio-lib-files adapters. Paths are
 * relative, `/`-separated, like aio-lib-files paths; a leading `/` is ignored (aio-lib-files does
 * the same). `.`/`..` segments, backslashes and NUL are refused so a path built from an upstream id
 * can never reach outside the store's root.
 */

export class FilePathError extends Error {
  readonly path: string;
  constructor(path: unknown, reason: string) {
    super(`invalid file path "${String(path)}": ${reason}`);
    this.name = 'FilePathError';
    this.path = String(path);
  }
}

function segmentsOf(path: unknown): string[] {
  if (typeof path !== 'string') throw new FilePathError(path, 'must be a string');
  if (path.includes('\\') || path.includes('\0')) throw new FilePathError(path, 'backslashes and NUL are not allowed');
  const trimmed = path.replace(/^\/+/, '');
  if (trimmed === '') return [];
  const segments = trimmed.replace(/\/+$/, '').split('/');
  for (const segment of segments) {
    if (segment === '') throw new FilePathError(path, 'empty segment ("//")');
    if (segment === '.' || segment === '..') throw new FilePathError(path, `"${segment}" segments are not allowed`);
  }
  return segments;
}

/** A file path (no trailing `/`) in canonical form: `dlq/order/42.json`. */
export function normalizeFilePath(path: unknown): string {
  if (typeof path === 'string' && path.endsWith('/')) throw new FilePathError(path, 'names a folder; a file path has no trailing "/"');
  const segments = segmentsOf(path);
  if (segments.length === 0) throw new FilePathError(path, 'is empty');
  return segments.join('/');
}

/**
 * A list/delete target: a folder prefix when it ends in `/` (or is empty, meaning everything),
 * otherwise a single file — the aio-lib-files convention.
 */
export function filePathPrefix(path: unknown): { kind: 'folder' | 'file'; path: string } {
  const segments = segmentsOf(path);
  if (segments.length === 0) return { kind: 'folder', path: '' };
  if ((path as string).endsWith('/')) return { kind: 'folder', path: `${segments.join('/')}/` };
  return { kind: 'file', path: segments.join('/') };
}
