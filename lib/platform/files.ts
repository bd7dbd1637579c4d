/**
 * FileStore adapters: the filesystem (local host, self-hosted installs; HCC_FILES_DIR) and
 * @adobe/aio-lib-files (App Builder). Both use the path rules of file-path.ts, so a path that works
 * locally works on Adobe and none can leave its root.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Files } from '@adobe/aio-lib-files';
import type { FileStore } from './ports';
import { filePathPrefix, FilePathError, normalizeFilePath } from './file-path';

/** Suffix of in-flight writes; they live next to their target (same filesystem, so rename is atomic) and are never listed. */
const TEMP_SUFFIX = '.hcc-tmp';

/** A file operation failed for a reason other than "not found". */
export class FileStoreError extends Error {
  readonly path: string;
  readonly operation: string;
  constructor(operation: string, path: string, cause: unknown) {
    super(`file ${operation} "${path}" failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'FileStoreError';
    this.path = path;
    this.operation = operation;
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function assertData(path: string, data: unknown): asserts data is string | Buffer {
  if (typeof data !== 'string' && !Buffer.isBuffer(data)) throw new TypeError(`file "${path}": data must be a string or a Buffer`);
}

export function createFsFileStore(rootDir: string): FileStore {
  if (typeof rootDir !== 'string' || rootDir.trim() === '') throw new FilePathError(rootDir, 'the file store root folder is required');
  const root = resolve(rootDir);

  // file-path.ts already refuses `..`; this second check keeps the promise even if those rules change.
  const onDisk = (path: string) => {
    const full = resolve(root, ...path.split('/'));
    if (full !== root && !full.startsWith(root + sep)) throw new FilePathError(path, 'escapes the file store root');
    return full;
  };

  async function walk(folder: string, out: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, out);
      else if (entry.isFile() && !entry.name.endsWith(TEMP_SUFFIX)) out.push(relative(root, full).split(sep).join('/'));
    }
  }

  return {
    async read(path: string): Promise<Buffer | undefined> {
      const normalized = normalizeFilePath(path);
      try {
        return await readFile(onDisk(normalized));
      } catch (error) {
        // A folder is not a file; aio-lib-files also says "does not exist" for it.
        if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errorCode(error) ?? '')) return undefined;
        throw new FileStoreError('read', normalized, error);
      }
    },

    async write(path: string, data: string | Buffer): Promise<void> {
      const normalized = normalizeFilePath(path);
      assertData(normalized, data);
      const target = onDisk(normalized);
      const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
      try {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(temp, data);
        // Readers see the old file or the new one, never half of one.
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw new FileStoreError('write', normalized, error);
      }
    },

    async list(prefix: string): Promise<string[]> {
      const target = filePathPrefix(prefix);
      if (target.kind === 'file') {
        try {
          return (await stat(onDisk(target.path))).isFile() ? [target.path] : [];
        } catch (error) {
          if (['ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '')) return [];
          throw new FileStoreError('list', target.path, error);
        }
      }
      const out: string[] = [];
      try {
        await walk(target.path === '' ? root : onDisk(target.path.slice(0, -1)), out);
      } catch (error) {
        throw new FileStoreError('list', target.path, error);
      }
      return out.sort();
    },

    async delete(path: string): Promise<void> {
      const target = filePathPrefix(path);
      try {
        if (target.kind === 'file') {
          const full = onDisk(target.path);
          // A folder path without "/" names a file that does not exist: nothing to do (aio semantics).
          const info = await stat(full).catch(() => undefined);
          if (info?.isFile()) await rm(full, { force: true });
          return;
        }
        if (target.path === '') {
          // Empty the store but keep its root folder.
          const entries = await readdir(root).catch(() => [] as string[]);
          await Promise.all(entries.map((name) => rm(join(root, name), { recursive: true, force: true })));
          return;
        }
        await rm(onDisk(target.path.slice(0, -1)), { recursive: true, force: true });
      } catch (error) {
        throw new FileStoreError('delete', target.path, error);
      }
    },
  };
}

/** The part of aio-lib-files' Files used here (lets tests pass a stand-in with the same behaviour). */
export type AioFiles = Pick<Files, 'read' | 'write' | 'list' | 'delete'>;

export interface AioFileStoreOptions {
  /** Defaults to aio-lib-files `init()`, which exchanges __OW_NAMESPACE/__OW_API_KEY for storage credentials. */
  init?: () => Promise<AioFiles>;
  /** Runtime namespace and API key for the token exchange; default: __OW_NAMESPACE/__OW_API_KEY. */
  namespace?: string;
  apiKey?: string;
}

export function createAioFileStore(options: AioFileStoreOptions = {}): FileStore {
  let client: Promise<AioFiles> | undefined;
  const files = (): Promise<AioFiles> => {
    client ??= (async () => {
      if (options.init) return options.init();
      const lib = await import('@adobe/aio-lib-files');
      try {
        return await lib.init(options.namespace && options.apiKey ? { ow: { namespace: options.namespace, auth: options.apiKey } } : {});
      } catch (error) {
        throw new FileStoreError('init', '', new Error(`${(error as Error).message} (aio-lib-files needs __OW_NAMESPACE and __OW_API_KEY)`));
      }
    })();
    // A failed init must not poison later calls in a warm container.
    client.catch(() => {
      client = undefined;
    });
    return client;
  };

  return {
    async read(path: string): Promise<Buffer | undefined> {
      const normalized = normalizeFilePath(path);
      const f = await files();
      try {
        return await f.read(normalized);
      } catch (error) {
        if (errorCode(error) === 'ERROR_FILE_NOT_EXISTS') return undefined;
        throw new FileStoreError('read', normalized, error);
      }
    },

    async write(path: string, data: string | Buffer): Promise<void> {
      const normalized = normalizeFilePath(path);
      assertData(normalized, data);
      const f = await files();
      try {
        await f.write(normalized, data);
      } catch (error) {
        throw new FileStoreError('write', normalized, error);
      }
    },

    async list(prefix: string): Promise<string[]> {
      const target = filePathPrefix(prefix);
      const f = await files();
      try {
        const found = await f.list(target.path === '' ? '/' : target.path);
        return found
          .filter((props) => !props.isDirectory)
          .map((props) => props.name.replace(/^\/+/, ''))
          .sort();
      } catch (error) {
        throw new FileStoreError('list', target.path, error);
      }
    },

    async delete(path: string): Promise<void> {
      const target = filePathPrefix(path);
      const f = await files();
      try {
        await f.delete(target.path === '' ? '/' : target.path);
      } catch (error) {
        if (errorCode(error) === 'ERROR_FILE_NOT_EXISTS') return;
        throw new FileStoreError('delete', target.path, error);
      }
    },
  };
}
