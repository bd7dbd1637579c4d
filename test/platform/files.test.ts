import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStore } from '../../lib/platform/ports';
import { createAioFileStore, createFsFileStore, type AioFiles } from '../../lib/platform/files';
import { createMemoryFileStore } from '../../lib/platform/memory';
import { FilePathError } from '../../lib/platform/file-path';

/**
 * Stand-in for aio-lib-files with the behaviour its README/types document: read of a missing
 * file throws ERROR_FILE_NOT_EXISTS; list('dir/') is recursive; list('file') is [props] or [];
 * delete is idempotent. It checks our adapter's mapping, not Azure.
 */
function aioFilesStandIn(): AioFiles & { calls: string[] } {
  const blobs = new Map<string, Buffer>();
  const calls: string[] = [];
  const props = (name: string) => ({ name, contentLength: blobs.get(name)!.length, isDirectory: false }) as never;
  return {
    calls,
    async read(path: string) {
      calls.push(`read ${path}`);
      const blob = blobs.get(path);
      if (!blob) throw Object.assign(new Error(`[FilesLib:ERROR_FILE_NOT_EXISTS] file ${path} does not exist`), { code: 'ERROR_FILE_NOT_EXISTS' });
      return Buffer.from(blob);
    },
    async write(path: string, content: unknown) {
      calls.push(`write ${path}`);
      blobs.set(path, Buffer.from(content as string));
      return blobs.get(path)!.length;
    },
    async list(path?: string) {
      calls.push(`list ${path}`);
      if (!path || path === '/') return [...blobs.keys()].map(props);
      if (path.endsWith('/')) return [...blobs.keys()].filter((k) => k.startsWith(path)).map(props);
      return blobs.has(path) ? [props(path)] : [];
    },
    async delete(path: string) {
      calls.push(`delete ${path}`);
      const doomed = path === '/' ? [...blobs.keys()] : path.endsWith('/') ? [...blobs.keys()].filter((k) => k.startsWith(path)) : blobs.has(path) ? [path] : [];
      for (const k of doomed) blobs.delete(k);
      return doomed;
    },
  } as AioFiles & { calls: string[] };
}

let fsRoot: string;
beforeAll(() => {
  fsRoot = mkdtempSync(join(tmpdir(), 'hcc-files-'));
});
afterAll(() => rmSync(fsRoot, { recursive: true, force: true }));

describe.each([
  ['memory', () => createMemoryFileStore()],
  ['filesystem', () => createFsFileStore(mkdtempSync(join(fsRoot, 'store-')))],
  ['aio-lib-files adapter (stand-in client)', () => createAioFileStore({ init: async () => aioFilesStandIn() })],
] as const)('FileStore contract: %s', (_name, make) => {
  let files: FileStore;
  beforeAll(() => {
    files = make();
  });

  it('writes and reads strings and bytes; missing is undefined', async () => {
    await files.write('dlq/order/100001.json', JSON.stringify({ source: { id: 1 } }));
    await files.write('snapshots/stock/main.bin', Buffer.from([0, 1, 2, 255]));
    expect(JSON.parse((await files.read('dlq/order/100001.json'))!.toString('utf8'))).toEqual({ source: { id: 1 } });
    expect([...(await files.read('snapshots/stock/main.bin'))!]).toEqual([0, 1, 2, 255]);
    expect(await files.read('dlq/order/missing.json')).toBeUndefined();
    expect(await files.read('dlq/order')).toBeUndefined();
  });

  it('overwrites whole files', async () => {
    await files.write('reports/a.csv', 'long old content');
    await files.write('reports/a.csv', 'new');
    expect((await files.read('reports/a.csv'))!.toString()).toBe('new');
  });

  it('lists folders recursively, single files, and everything', async () => {
    await files.write('dlq/refund/1.json', '{}');
    expect(await files.list('dlq/')).toEqual(['dlq/order/100001.json', 'dlq/refund/1.json']);
    expect(await files.list('dlq/order/')).toEqual(['dlq/order/100001.json']);
    expect(await files.list('dlq/order/100001.json')).toEqual(['dlq/order/100001.json']);
    expect(await files.list('dlq')).toEqual([]);
    expect(await files.list('nothing/')).toEqual([]);
    expect(await files.list('')).toEqual(['dlq/order/100001.json', 'dlq/refund/1.json', 'reports/a.csv', 'snapshots/stock/main.bin']);
  });

  it('deletes files and folders idempotently', async () => {
    await files.delete('dlq/refund/1.json');
    await files.delete('dlq/refund/1.json');
    expect(await files.list('dlq/')).toEqual(['dlq/order/100001.json']);
    await files.delete('dlq/');
    await files.delete('dlq/');
    expect(await files.list('dlq/')).toEqual([]);
    await files.delete('');
    expect(await files.list('')).toEqual([]);
  });

  it.each(['../outside.txt', 'a/../../b', 'a/./b', 'a\\..\\b', 'a//b', '', '/', 'folder/'])('refuses %j as a file path', async (path) => {
    await expect(files.write(path, 'x')).rejects.toThrow(FilePathError);
    await expect(files.read(path)).rejects.toThrow(FilePathError);
  });

  it('refuses data that is neither string nor Buffer', async () => {
    await expect(files.write('x.json', { a: 1 } as never)).rejects.toThrow(/string or a Buffer/);
  });
});

describe('filesystem store specifics', () => {
  it('writes atomically: no temp files left, nothing outside the root', async () => {
    const root = mkdtempSync(join(fsRoot, 'atomic-'));
    const files = createFsFileStore(join(root, 'inner'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => files.write('same/file.txt', `version ${i}`)));
    expect((await files.read('same/file.txt'))!.toString()).toMatch(/^version \d+$/);
    expect(readdirSync(join(root, 'inner', 'same'))).toEqual(['file.txt']);
    await expect(files.write('../escape.txt', 'x')).rejects.toThrow(FilePathError);
    expect(existsSync(join(root, 'escape.txt'))).toBe(false);
  });

  it('reports a write over a folder as a FileStoreError naming the path', async () => {
    const files = createFsFileStore(mkdtempSync(join(fsRoot, 'clash-')));
    await files.write('a/b.txt', 'x');
    await expect(files.write('a', 'x')).rejects.toThrow(/file write "a" failed/);
  });

  it('needs a root folder', () => {
    expect(() => createFsFileStore('')).toThrow(FilePathError);
  });
});

describe('aio-lib-files adapter specifics', () => {
  it('initialises lazily and once, and passes canonical paths', async () => {
    const client = aioFilesStandIn();
    let inits = 0;
    const files = createAioFileStore({ init: async () => (inits++, client) });
    expect(inits).toBe(0);
    await files.write('/a/b.json', 'x');
    await files.read('a/b.json');
    await files.list('');
    expect(inits).toBe(1);
    expect(client.calls).toEqual(['write a/b.json', 'read a/b.json', 'list /']);
  });

  it('retries init after a failure', async () => {
    let attempt = 0;
    const files = createAioFileStore({
      init: async () => {
        if (attempt++ === 0) throw new Error('"config.ow" is required');
        return aioFilesStandIn();
      },
    });
    await expect(files.list('')).rejects.toThrow(/config.ow/);
    expect(await files.list('')).toEqual([]);
  });
});
