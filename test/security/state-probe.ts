/**
 * A local state service behind a counting proxy, plus a file-store folder, so a test can prove that
 * a rejected request wrote nothing: `writes()` counts every PUT/DELETE/POST the actions' real
 * aio-lib-state client sent, `files()` lists every file the FileStore adapter wrote. Must be
 * started before any action module is imported (aio-lib-state reads AIO_STATE_ENDPOINT once).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStateService } from '../../sandbox/state/server';

export interface StateProbe {
  dir: string;
  dbFile: string;
  filesDir: string;
  /** State mutations seen so far. */
  writes(): number;
  /** Every file under the FileStore folder (relative paths). */
  files(): string[];
  close(): Promise<void>;
}

function listFiles(root: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(root, join(prefix, e.name)) : [join(prefix, e.name)]));
}

export async function startStateProbe(): Promise<StateProbe> {
  const dir = mkdtempSync(join(tmpdir(), 'hcc-sec-'));
  const dbFile = join(dir, 'state.db');
  const filesDir = join(dir, 'files');
  const state = await startStateService({ dbFile });
  const target = new URL(state.url);
  let writes = 0;
  const proxy = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') writes++;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', () => done()));
  process.env.AIO_STATE_ENDPOINT = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  process.env.HCC_FILES_DIR = filesDir;
  return {
    dir,
    dbFile,
    filesDir,
    writes: () => writes,
    files: () => listFiles(filesDir),
    close: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((done) => proxy.close(() => done()));
      await state.close();
    },
  };
}
