/**
 * Local stand-in for the App Builder state service, so the REAL @adobe/aio-lib-state v5 client
 * (pointed here with AIO_STATE_ENDPOINT) works offline and durably. Written from the protocol in
 * shared/api/appbuilder.md §4.1 and the client's lib/AdobeState.js, not from lib/platform: like the
 * simulators, it is an independent implementation, so a wrong assumption in the connector's state
 * adapter shows up as a failing contract test instead of being shared by both sides.
 *
 *   GET    /containers/<ns>/data/<key>            200 value + x-key-expires-ms | 404
 *   PUT    /containers/<ns>/data/<key>?ttl=N      200 | 400 bad key/ttl | 413 over 1 MB
 *   DELETE /containers/<ns>/data/<key>            200 | 404
 *   GET    /containers/<ns>/data?match=&cursor=   200 {keys, cursor}; cursor 0 = done
 *   HEAD   /containers/<ns>                       200 when any live key | 404
 *   GET    /containers/<ns>                       200 {keys, bytesKeys, bytesValues}
 *   DELETE /containers/<ns>?matchData=<glob>      200 {keys: n}
 * Every request needs `Authorization: Basic ...` (401 otherwise). Storage: SQLite (WAL), expired
 * keys invisible at once and purged lazily.
 *
 * Standalone: `npx tsx sandbox/state/server.ts --port 9090 --db /tmp/x.db`
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';

const KEY_PATTERN = /^[a-zA-Z0-9\-_.]{1,1024}$/;
const MATCH_PATTERN = /^[a-zA-Z0-9\-_.*]{1,1024}$/;
// ASSUMED: the service's "1 MB" is 1 MiB of value bytes; the docs give no exact byte figure.
const MAX_VALUE_BYTES = 1024 * 1024;
const MAX_TTL_SECONDS = 365 * 24 * 60 * 60;
const DEFAULT_TTL_SECONDS = 24 * 60 * 60; // the service default when ttl is absent or 0
const LIST_PAGE_SIZE = 1000; // "every call scans 1000 keys" (client docs)
const PURGE_INTERVAL_MS = 60_000;
// ASSUMED: any namespace made of these characters is accepted; the real service ties namespace to
// the API key, which a local stand-in cannot check.
const NAMESPACE_PATTERN = /^[a-zA-Z0-9\-_.@]{1,256}$/;

export interface StateServiceOptions {
  /** SQLite file; created with its folder when missing. */
  dbFile: string;
  /** 0 or absent: an ephemeral port. */
  port?: number;
  host?: string;
}

export interface StateService {
  /** Base URL for AIO_STATE_ENDPOINT, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

interface Row {
  rowid: number;
  key: string;
  value: Buffer;
  expires_ms: number;
}

function openStore(dbFile: string) {
  mkdirSync(dirname(resolve(dbFile)), { recursive: true });
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A rowid table (not WITHOUT ROWID) and an upsert that keeps the rowid: the list cursor is a
  // rowid, so rewriting a key does not move it behind a running scan.
  db.exec(`CREATE TABLE IF NOT EXISTS kv (
    ns TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    expires_ms INTEGER NOT NULL,
    PRIMARY KEY (ns, key)
  )`);
  db.exec('CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires_ms)');

  const statements = {
    get: db.prepare<[string, string, number], { value: Buffer; expires_ms: number }>(
      'SELECT value, expires_ms FROM kv WHERE ns = ? AND key = ? AND expires_ms > ?',
    ),
    put: db.prepare<[string, string, Buffer, number]>(
      `INSERT INTO kv (ns, key, value, expires_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms`,
    ),
    deleteLive: db.prepare<[string, string, number]>('DELETE FROM kv WHERE ns = ? AND key = ? AND expires_ms > ?'),
    deleteExpiredKey: db.prepare<[string, string, number]>('DELETE FROM kv WHERE ns = ? AND key = ? AND expires_ms <= ?'),
    scan: db.prepare<[string, number, number], Row>(
      'SELECT rowid, key, value, expires_ms FROM kv WHERE ns = ? AND rowid > ? ORDER BY rowid LIMIT ?',
    ),
    any: db.prepare<[string, number], { one: number }>('SELECT 1 AS one FROM kv WHERE ns = ? AND expires_ms > ? LIMIT 1'),
    stats: db.prepare<[string, number], { keys: number; bytesKeys: number | null; bytesValues: number | null }>(
      `SELECT COUNT(*) AS keys, SUM(LENGTH(CAST(key AS BLOB))) AS bytesKeys, SUM(LENGTH(value)) AS bytesValues
       FROM kv WHERE ns = ? AND expires_ms > ?`,
    ),
    // GLOB is exact here: the match pattern only allows [a-zA-Z0-9-_.*], so `*` is its only wildcard.
    deleteMatching: db.prepare<[string, string, number]>('DELETE FROM kv WHERE ns = ? AND key GLOB ? AND expires_ms > ?'),
    deleteAllLive: db.prepare<[string, number]>('DELETE FROM kv WHERE ns = ? AND expires_ms > ?'),
    purge: db.prepare<[number]>('DELETE FROM kv WHERE expires_ms <= ?'),
  };
  return { db, statements };
}

function globToRegExp(match: string): RegExp {
  return new RegExp(`^${match.split('*').map((part) => part.replace(/[.\-]/g, (c) => `\\${c}`)).join('.*')}$`);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads the body up to the limit; past it, keeps draining so the client can finish sending and read the 413. */
function readBody(req: http.IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean; bytes: number }> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolvePromise({ body: Buffer.concat(chunks), tooLarge: bytes > limit, bytes }));
    req.on('error', reject);
  });
}

function parseTtl(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_TTL_SECONDS;
  if (!/^-?\d+$/.test(raw)) throw new HttpProblem(400, `ttl must be an integer number of seconds, got "${raw}"`);
  const ttl = Number(raw);
  if (ttl < 0) throw new HttpProblem(400, 'ttl must be >= 0; infinite TTLs (< 0) are not supported');
  if (ttl > MAX_TTL_SECONDS) throw new HttpProblem(400, `ttl must be <= 365 days (${MAX_TTL_SECONDS}s)`);
  return ttl === 0 ? DEFAULT_TTL_SECONDS : ttl;
}

function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, `${what} is not valid URL encoding`);
  }
}

export async function startStateService(options: StateServiceOptions): Promise<StateService> {
  const { db, statements } = openStore(options.dbFile);
  let lastPurgeMs = 0;

  // Expired rows are already invisible (every read filters on expires_ms); this only reclaims space.
  const purgeNowAndThen = (now: number) => {
    if (now - lastPurgeMs < PURGE_INTERVAL_MS) return;
    lastPurgeMs = now;
    statements.purge.run(now);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('x-request-id', randomUUID());
    const url = new URL(req.url ?? '/', 'http://state.local');
    const method = req.method ?? 'GET';

    const auth = req.headers.authorization ?? '';
    const match = /^Basic\s+(\S+)$/i.exec(auth);
    if (!match || Buffer.from(match[1], 'base64').toString('utf8').length === 0) {
      // Drain so keep-alive clients are not cut off mid-upload.
      req.resume();
      throw new HttpProblem(401, 'missing or malformed Authorization: Basic <base64(apikey)>');
    }

    const parts = url.pathname.split('/').filter((p) => p !== '');
    if (parts[0] !== 'containers' || parts.length < 2 || parts.length > 4 || (parts.length >= 3 && parts[2] !== 'data')) {
      req.resume();
      throw new HttpProblem(404, `no such route: ${method} ${url.pathname}`);
    }
    const namespace = decodeSegment(parts[1], 'namespace');
    if (!NAMESPACE_PATTERN.test(namespace)) {
      req.resume();
      throw new HttpProblem(400, `namespace "${namespace}" is not valid`);
    }
    const now = Date.now();
    purgeNowAndThen(now);

    // /containers/<ns>/data/<key>
    if (parts.length === 4) {
      const key = decodeSegment(parts[3], 'key');
      if (!KEY_PATTERN.test(key)) {
        req.resume();
        throw new HttpProblem(400, `key must match [a-zA-Z0-9-_.]{1,1024}`);
      }
      if (method === 'GET') {
        const row = statements.get.get(namespace, key, now);
        if (!row) {
          statements.deleteExpiredKey.run(namespace, key, now);
          throw new HttpProblem(404, `key "${key}" not found`);
        }
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': row.value.length,
          'x-key-expires-ms': String(row.expires_ms),
        });
        res.end(row.value);
        return;
      }
      if (method === 'PUT') {
        let ttl: number;
        try {
          ttl = parseTtl(url.searchParams.get('ttl'));
        } catch (error) {
          req.resume();
          throw error;
        }
        const { body, tooLarge, bytes } = await readBody(req, MAX_VALUE_BYTES);
        if (tooLarge) throw new HttpProblem(413, `value is ${bytes} bytes; the limit is ${MAX_VALUE_BYTES} bytes`);
        const expiresMs = now + ttl * 1000;
        statements.put.run(namespace, key, body, expiresMs);
        res.setHeader('x-key-expires-ms', String(expiresMs));
        sendJson(res, 200, { key });
        return;
      }
      if (method === 'DELETE') {
        req.resume();
        const { changes } = statements.deleteLive.run(namespace, key, now);
        if (changes === 0) throw new HttpProblem(404, `key "${key}" not found`);
        sendJson(res, 200, { key });
        return;
      }
      req.resume();
      res.setHeader('allow', 'GET, PUT, DELETE');
      throw new HttpProblem(405, `${method} is not allowed on a key`);
    }

    req.resume();
    // /containers/<ns>/data — list
    if (parts.length === 3) {
      if (method !== 'GET') {
        res.setHeader('allow', 'GET');
        throw new HttpProblem(405, `${method} is not allowed on /data`);
      }
      const matchParam = url.searchParams.get('match');
      if (matchParam !== null && !MATCH_PATTERN.test(matchParam)) {
        throw new HttpProblem(400, 'match must match [a-zA-Z0-9-_.*]{1,1024}');
      }
      const cursorParam = url.searchParams.get('cursor') ?? '0';
      if (!/^\d+$/.test(cursorParam)) throw new HttpProblem(400, `cursor must be a non-negative integer, got "${cursorParam}"`);
      const pattern = matchParam ? globToRegExp(matchParam) : undefined;
      // Like the real service: a page scans up to 1000 keys and then filters, so a page may hold
      // fewer keys than match (or none) while the cursor is not yet 0.
      const rows = statements.scan.all(namespace, Number(cursorParam), LIST_PAGE_SIZE);
      const keys = rows.filter((row) => row.expires_ms > now && (!pattern || pattern.test(row.key))).map((row) => row.key);
      const cursor = rows.length < LIST_PAGE_SIZE ? 0 : rows[rows.length - 1].rowid;
      sendJson(res, 200, { keys, cursor });
      return;
    }

    // /containers/<ns>
    if (method === 'HEAD') {
      const any = statements.any.get(namespace, now);
      res.writeHead(any ? 200 : 404);
      res.end();
      return;
    }
    if (method === 'GET') {
      const stats = statements.stats.get(namespace, now);
      sendJson(res, 200, { keys: stats?.keys ?? 0, bytesKeys: stats?.bytesKeys ?? 0, bytesValues: stats?.bytesValues ?? 0 });
      return;
    }
    if (method === 'DELETE') {
      const matchData = url.searchParams.get('matchData');
      if (matchData !== null && !MATCH_PATTERN.test(matchData)) {
        throw new HttpProblem(400, 'matchData must match [a-zA-Z0-9-_.*]{1,1024}');
      }
      // Without matchData the whole container goes, as the client source warns.
      const { changes } =
        matchData === null ? statements.deleteAllLive.run(namespace, now) : statements.deleteMatching.run(namespace, matchData, now);
      sendJson(res, 200, { keys: changes });
      return;
    }
    res.setHeader('allow', 'GET, HEAD, DELETE');
    throw new HttpProblem(405, `${method} is not allowed on a container`);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpProblem) {
        if (req.method === 'HEAD') {
          res.writeHead(error.status);
          res.end();
        } else {
          sendJson(res, error.status, { error: error.message, status: error.status });
        }
        return;
      }
      // A SQLite failure (disk full, locked) is the service's fault, not the caller's: a 503 the
      // client retries, with the reason for whoever reads the log.
      sendJson(res, 503, { error: `state service storage error: ${(error as Error).message}`, status: 503 });
    });
  });
  // Values near 1 MB arrive in one request; default timeouts are fine, but keep-alive sockets must
  // not hold close() open.
  server.keepAliveTimeout = 5_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Listening on every interface still means "call me on loopback" for the URL handed to clients.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const urlHost = reachable.includes(':') ? `[${reachable}]` : reachable;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolvePromise) => {
        server.close(() => {
          db.close();
          resolvePromise();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer 0..65535, got "${values.port}"\n`);
    process.exit(2);
  }
  if (!values.db) {
    process.stderr.write('--db <file> is required (the SQLite file that holds the state)\n');
    process.exit(2);
  }
  const service = await startStateService({ dbFile: values.db, port, host: values.host });
  process.stdout.write(`${JSON.stringify({ service: 'state', url: service.url, port: service.port, db: resolve(values.db) })}\n`);
  const stop = () => void service.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`state service failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
