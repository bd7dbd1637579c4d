/**
 * Reads a request body up to Runtime's 1 MB payload limit. An over-limit body is drained (so the
 * client reads our 413 instead of a reset connection) up to a hard cap, then the socket is closed.
 */
import type { IncomingMessage } from 'node:http';

export const PAYLOAD_LIMIT_BYTES = 1024 * 1024;
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

export type BodyReading = { ok: true; body: Buffer } | { ok: false; tooLarge: boolean; bytes: number };

export function readBody(request: IncomingMessage, limit = PAYLOAD_LIMIT_BYTES): Promise<BodyReading> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      if (bytes > DRAIN_CAP_BYTES) request.destroy();
    });
    request.on('end', () => resolvePromise(tooLarge ? { ok: false, tooLarge: true, bytes } : { ok: true, body: Buffer.concat(chunks) }));
    request.on('error', reject);
    request.on('close', () => {
      // The client went away mid-body (or we cut it off past the drain cap).
      if (!request.complete) resolvePromise({ ok: false, tooLarge, bytes });
    });
  });
}
