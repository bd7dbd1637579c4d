/**
 * aio-lib-state keys must match `[a-zA-Z0-9-_.]{1,1024}`. Ids from Heartland and Magento can hold
 * anything (SKUs with spaces or slashes, emails), so every part of a key is encoded reversibly:
 * a byte outside `[A-Za-z0-9-]` becomes `_` plus two hex digits. `.` separates the parts, so it is
 * encoded inside a part, and `_` is encoded too so that decoding is unambiguous.
 */

const SAFE = /^[A-Za-z0-9-]$/;
export const STATE_KEY_MAX = 1024;

export function encodeKeyPart(part: string | number): string {
  const text = String(part);
  let out = '';
  for (const ch of text) {
    if (SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += '_' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

export function decodeKeyPart(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i];
    if (ch === '_') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) throw new Error(`state key part "${encoded}": bad escape at ${i}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(ch.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Builds a valid state key from parts: `stateKey('link', 'order', 'heartland', 'A/1')` → `link.order.heartland.A_2f1`. */
export function stateKey(...parts: Array<string | number>): string {
  if (parts.length === 0) throw new Error('stateKey needs at least one part');
  const key = parts.map(encodeKeyPart).join('.');
  if (key.length > STATE_KEY_MAX) throw new Error(`state key is ${key.length} characters; the limit is ${STATE_KEY_MAX}`);
  return key;
}

/** Splits a key built by `stateKey` back into its parts. */
export function parseStateKey(key: string): string[] {
  return key.split('.').map(decodeKeyPart);
}
