/** The local state service at the HTTP level: what the real aio-lib-state client relies on, and bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startStateService, type StateService } from '../../sandbox/state/server';

const AUTH = { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` };
const NS = '1234567-hcc-raw';

let dir: string;
let service: StateService;
const url = (path: string) => `${service.url}${path}`;
const put = (key: string, value: string, ttl?: number | string, ns = NS) =>
  fetch(url(`/containers/${ns}/data/${key}${ttl === undefined ? '' : `?ttl=${ttl}`}`), {
    method: 'PUT',
    headers: { ...AUTH, 'content-type': 'application/octet-stream' },
    body: value,
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcc-state-raw-'));
  service = await startStateService({ dbFile: join(dir, 'nested', 'state.db') });
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('state service protocol', () => {
  it('puts and gets a value with its expiry header', async () => {
    const before = Date.now();
    expect((await put('a.one', 'hello', 60)).status).toBe(200);
    const res = await fetch(url(`/containers/${NS}/data/a.one`), { headers: AUTH });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    const expires = Number(res.headers.get('x-key-expires-ms'));
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('defaults a missing or zero ttl to one day', async () => {
    await put('a.default', 'x');
    await put('a.zero', 'x', 0);
    for (const key of ['a.default', 'a.zero']) {
      const res = await fetch(url(`/containers/${NS}/data/${key}`), { headers: AUTH });
      const ttlMs = Number(res.headers.get('x-key-expires-ms')) - Date.now();
      expect(ttlMs).toBeGreaterThan(86_400_000 - 5_000);
      expect(ttlMs).toBeLessThanOrEqual(86_400_000);
    }
  });

  it('keeps namespaces apart', async () => {
    await put('shared.key', 'one', 60, '1234567-other');
    expect((await fetch(url(`/containers/${NS}/data/shared.key`), { headers: AUTH })).status).toBe(404);
  });

  it.each([
    ['no Authorization', 'GET', `/containers/${NS}/data/a.one`, {}, 401],
    ['Bearer instead of Basic', 'GET', `/containers/${NS}/data/a.one`, { authorization: 'Bearer x' }, 401],
    ['unknown route', 'GET', '/nope', AUTH, 404],
    ['too many segments', 'GET', `/containers/${NS}/data/a/b`, AUTH, 404],
    ['missing key', 'GET', `/containers/${NS}/data/never.there`, AUTH, 404],
    ['invalid key characters', 'GET', `/containers/${NS}/data/a%20b`, AUTH, 400],
    ['broken URL encoding', 'GET', `/containers/${NS}/data/a%zz`, AUTH, 400],
    ['invalid namespace', 'GET', `/containers/bad%2Fns/data/a.one`, AUTH, 400],
    ['POST on a key', 'POST', `/containers/${NS}/data/a.one`, AUTH, 405],
    ['PUT on a container', 'PUT', `/containers/${NS}`, AUTH, 405],
    ['bad list pattern', 'GET', `/containers/${NS}/data?match=a%2Fb`, AUTH, 400],
    ['bad cursor', 'GET', `/containers/${NS}/data?cursor=abc`, AUTH, 400],
    ['bad deleteAll pattern', 'DELETE', `/containers/${NS}?matchData=a%20b`, AUTH, 400],
  ])('%s → %i with a JSON error', async (_name, method, path, headers, status) => {
    const res = await fetch(url(path), { method, headers });
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: unknown };
    expect(typeof body.error).toBe('string');
  });

  it.each([
    ['-1', /infinite/],
    ['31536001', /365 days/],
    ['1.5', /integer/],
    ['soon', /integer/],
  ])('rejects ttl=%s with 400', async (ttl, message) => {
    const res = await put('bad.ttl', 'x', ttl);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('answers 413 for a value over 1 MiB and still serves the next request', async () => {
    const res = await put('big.value', 'x'.repeat(1024 * 1024 + 1), 60);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/1048577 bytes/);
    expect((await put('big.exact', 'x'.repeat(1024 * 1024), 60)).status).toBe(200);
    expect((await fetch(url(`/containers/${NS}/data/big.value`), { headers: AUTH })).status).toBe(404);
  });

  it('deletes with 200 then 404', async () => {
    await put('del.key', 'x', 60);
    expect((await fetch(url(`/containers/${NS}/data/del.key`), { method: 'DELETE', headers: AUTH })).status).toBe(200);
    expect((await fetch(url(`/containers/${NS}/data/del.key`), { method: 'DELETE', headers: AUTH })).status).toBe(404);
  });

  it('pages list results by cursor, 1000 scanned keys per page, and filters by match', async () => {
    const ns = '1234567-paging';
    const keys = Array.from({ length: 1050 }, (_, i) => `page.${i % 2 === 0 ? 'even' : 'odd'}.${i}`);
    for (let i = 0; i < keys.length; i += 150) {
      await Promise.all(keys.slice(i, i + 150).map((key) => put(key, '1', 60, ns)));
    }
    const seen: string[] = [];
    let cursor = 0;
    let pages = 0;
    do {
      const res = await fetch(url(`/containers/${ns}/data?match=page.even.*&cursor=${cursor}`), { headers: AUTH });
      const body = (await res.json()) as { keys: string[]; cursor: number };
      expect(typeof body.cursor).toBe('number');
      seen.push(...body.keys);
      cursor = body.cursor;
      pages++;
    } while (cursor !== 0);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(keys.filter((k) => k.startsWith('page.even.')).sort());
  });

  it('answers any (HEAD), stats and deleteAll for a container', async () => {
    const ns = '1234567-container';
    expect((await fetch(url(`/containers/${ns}`), { method: 'HEAD', headers: AUTH })).status).toBe(404);
    await put('job.1', 'abc', 60, ns);
    await put('job.2', 'de', 60, ns);
    await put('other', 'f', 60, ns);
    expect((await fetch(url(`/containers/${ns}`), { method: 'HEAD', headers: AUTH })).status).toBe(200);
    const stats = await (await fetch(url(`/containers/${ns}`), { headers: AUTH })).json();
    expect(stats).toEqual({ keys: 3, bytesKeys: 15, bytesValues: 6 });
    const deleted = await (await fetch(url(`/containers/${ns}?matchData=job.*`), { method: 'DELETE', headers: AUTH })).json();
    expect(deleted).toEqual({ keys: 2 });
    const all = await (await fetch(url(`/containers/${ns}`), { method: 'DELETE', headers: AUTH })).json();
    expect(all).toEqual({ keys: 1 });
    expect((await fetch(url(`/containers/${ns}`), { method: 'HEAD', headers: AUTH })).status).toBe(404);
  });

  it('hides expired keys from get, list and stats', async () => {
    const ns = '1234567-expiry';
    await put('exp.short', 'x', 1, ns);
    await put('exp.long', 'y', 60, ns);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await fetch(url(`/containers/${ns}/data/exp.short`), { headers: AUTH })).status).toBe(404);
    const list = await (await fetch(url(`/containers/${ns}/data?match=exp.*&cursor=0`), { headers: AUTH })).json();
    expect(list).toEqual({ keys: ['exp.long'], cursor: 0 });
    expect(((await (await fetch(url(`/containers/${ns}`), { headers: AUTH })).json()) as { keys: number }).keys).toBe(1);
  });

  it('survives a client that hangs up in the middle of an upload', async () => {
    const { port } = new URL(service.url);
    await new Promise<void>((resolveDone) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `PUT /containers/${NS}/data/cut.off?ttl=60 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH.authorization}\r\n` +
            'Content-Length: 1000\r\n\r\npartial',
        );
        setTimeout(() => {
          socket.destroy();
          resolveDone();
        }, 50);
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(url(`/containers/${NS}/data/cut.off`), { headers: AUTH })).status).toBe(404);
    expect((await put('after.cut', 'ok', 60)).status).toBe(200);
  });

  it('is durable across a restart on the same file', async () => {
    await put('keep.me', 'still here', 600);
    const dbFile = join(dir, 'nested', 'state.db');
    await service.close();
    service = await startStateService({ dbFile });
    const res = await fetch(url(`/containers/${NS}/data/keep.me`), { headers: AUTH });
    expect(await res.text()).toBe('still here');
  });
});
