/**
 * Serves the built panel (web-src/dist) at `/`. Unknown paths without an extension get
 * index.html so client-side routes (`/#/...` or `/activity`) load the app. Without a build, a
 * short page explains how to make one.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Heartland Commerce Connector</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Heartland Commerce Connector</h1>
<p>The panel has not been built yet. Run <code>npm run build:web</code> and reload this page.</p>
<p>The sandbox is running: <a href="/health">/health</a> shows each component.</p>
</body></html>
`;

/** Returns false when the request is not for the panel (the caller answers 404). */
export async function servePanel(webRoot: string, urlPath: string, response: ServerResponse, headOnly: boolean): Promise<boolean> {
  const root = resolve(webRoot);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    if (urlPath !== '/' && urlPath !== '/index.html') return false;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(headOnly ? undefined : NOT_BUILT_PAGE);
    return true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  const candidate = normalize(join(root, decoded));
  // Never serve outside the web root (`/../../etc/passwd`).
  if (candidate !== root && !candidate.startsWith(root + sep)) return false;
  let file = candidate;
  const info = await stat(file).catch(() => undefined);
  if (!info || info.isDirectory()) {
    if (info?.isDirectory() && existsSync(join(file, 'index.html'))) file = join(file, 'index.html');
    else if (extname(decoded) === '') file = index;
    else return false;
  }
  const body = await readFile(file);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(body.length),
  });
  response.end(headOnly ? undefined : body);
  return true;
}
