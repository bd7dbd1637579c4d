/**
 * A loopback stand-in for what aio-lib-files talks to on App Builder: the token vending machine
 * (`GET <apiUrl>/azure/blob/<namespace>` → SAS URLs of a private and a public container) and Azure
 * Blob Storage behind those URLs (put, get, head, delete, list), in memory. Just enough of the REST
 * API for the Azure SDK's own request and response handling to run unmodified; used by
 * bundle.test.ts to exercise the minified file-store chunk without the internet.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Blob {
  body: Buffer;
  etag: string;
  modified: string;
  contentType: string;
}

export interface BlobService {
  url: string;
  /** `METHOD path` of every request, in order. */
  requests: string[];
  /** Authorization headers the token exchange received. */
  tvmAuthorizations: string[];
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startBlobService(): Promise<BlobService> {
  const blobs = new Map<string, Blob>();
  const requests: string[] = [];
  const tvmAuthorizations: string[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = new URL(req.url ?? '/', 'http://localhost');
      const path = decodeURIComponent(at.pathname);
      requests.push(`${req.method} ${path}`);
      const common = { 'x-ms-request-id': `req-${requests.length}`, 'x-ms-version': '2025-01-05', date: new Date().toUTCString() };

      const tvm = /^\/azure\/blob\/([^/]+)$/.exec(path);
      if (tvm && req.method === 'GET') {
        tvmAuthorizations.push(String(req.headers.authorization ?? ''));
        const sas = 'sv=2025-01-05&sig=local';
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({
          sasURLPrivate: `${url}/account/${tvm[1]}?${sas}`,
          sasURLPublic: `${url}/account/${tvm[1]}-public?${sas}`,
          expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }));
      }

      // Container listing: GET /account/<container>?restype=container&comp=list&prefix=...
      if (req.method === 'GET' && at.searchParams.get('comp') === 'list') {
        const prefix = at.searchParams.get('prefix') ?? '';
        const items = [...blobs.entries()]
          .filter(([key]) => key.startsWith(`${path}/${prefix}`))
          .map(([key, b]) => {
            const name = key.slice(path.length + 1);
            return `<Blob><Name>${xmlEscape(name)}</Name><Properties><Creation-Time>${b.modified}</Creation-Time><Last-Modified>${b.modified}</Last-Modified><Etag>${b.etag}</Etag><Content-Length>${b.body.length}</Content-Length><Content-Type>${b.contentType}</Content-Type><BlobType>BlockBlob</BlobType></Properties></Blob>`;
          })
          .join('');
        res.writeHead(200, { ...common, 'content-type': 'application/xml' });
        return res.end(`<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${url}/account/"><Prefix>${xmlEscape(prefix)}</Prefix><MaxResults>1000</MaxResults><Blobs>${items}</Blobs><NextMarker /></EnumerationResults>`);
      }

      if (req.method === 'PUT') {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
          res.writeHead(400, { ...common, 'x-ms-error-code': 'MissingRequiredHeader' });
          return res.end();
        }
        const blob: Blob = {
          body: Buffer.concat(chunks),
          etag: `"0x${(blobs.size + 1).toString(16).padStart(8, '0')}"`,
          modified: new Date().toUTCString(),
          contentType: String(req.headers['x-ms-blob-content-type'] ?? 'application/octet-stream'),
        };
        blobs.set(path, blob);
        res.writeHead(201, { ...common, etag: blob.etag, 'last-modified': blob.modified });
        return res.end();
      }

      const blob = blobs.get(path);
      if (!blob) {
        res.writeHead(404, { ...common, 'x-ms-error-code': 'BlobNotFound', 'content-type': 'application/xml' });
        return res.end(req.method === 'HEAD' ? undefined : '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.</Message></Error>');
      }
      const properties = {
        ...common,
        etag: blob.etag,
        'last-modified': blob.modified,
        'x-ms-creation-time': blob.modified,
        'x-ms-blob-type': 'BlockBlob',
        'content-type': blob.contentType,
        'content-length': String(blob.body.length),
      };
      if (req.method === 'HEAD') {
        res.writeHead(200, properties);
        return res.end();
      }
      if (req.method === 'GET') {
        res.writeHead(200, properties);
        return res.end(blob.body);
      }
      if (req.method === 'DELETE') {
        blobs.delete(path);
        res.writeHead(202, common);
        return res.end();
      }
      res.writeHead(405, common);
      res.end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, tvmAuthorizations, close: () => new Promise<void>((done) => server.close(() => done())) };
}
