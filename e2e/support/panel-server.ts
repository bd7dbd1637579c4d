/**
 * Serves a built panel (web-src/dist or a temp build) and forwards `/api/` to a sandbox host, so
 * the panel and its admin-api share an origin as they do in the Commerce admin. Used by the
 * browser tests against the real sandbox and by the panel benchmark.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
/** Debian chromium, headless, with nothing reaching for the network (this machine has none). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.woff2': 'font/woff2' };
const HOP_HEADERS = ['host', 'connection', 'content-length'];
const ENCODING_HEADERS = ['content-encoding', 'content-length', 'transfer-encoding'];

export async function servePanel(root: string, hostUrl: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://panel');
      if (url.pathname.startsWith('/api/')) {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !HOP_HEADERS.includes(k))) as Record<string, string>;
        const upstream = await fetch(new URL(url.pathname + url.search, hostUrl), { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
        res.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([k]) => !ENCODING_HEADERS.includes(k))));
        res.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      const path = url.pathname === '/' || !extname(url.pathname) ? '/index.html' : url.pathname;
      const file = resolve(root, `.${decodeURIComponent(path)}`);
      if (!file.startsWith(root) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
