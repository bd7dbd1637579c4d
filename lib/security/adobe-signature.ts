/**
 * Adobe I/O Events digital signatures for webhook-URL delivery (commerce.md §3.8). Each delivery
 * carries two RSA-SHA256 signatures of the raw body (`x-adobe-digital-signature-1/2`) and the paths
 * of the two public keys that verify them (`x-adobe-public-key1-path/2-path`, form
 * `/prod/keys/pub-key-<uuid>.pem`) on Adobe's static key host. The event is genuine when EITHER
 * signature verifies (Adobe rotates one key at a time).
 *
 * Keys are fetched only from the configured base URL, only for paths of the documented form, and
 * only after the signature itself has a plausible RSA length, so a forged request cannot make the
 * connector fetch arbitrary URLs or hammer the key host. Keys are cached for at most 24 h (the
 * documented maximum); missing keys are remembered for a few minutes.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const DEFAULT_PUBLIC_KEY_BASE_URL = 'https://static.adobeioevents.com';
export const PUBLIC_KEY_BASE_URL_INPUT = 'ADOBE_IO_EVENTS_PUBLIC_KEY_BASE_URL';
export const SIGNATURE_HEADERS = [
  { signature: 'x-adobe-digital-signature-1', keyPath: 'x-adobe-public-key1-path' },
  { signature: 'x-adobe-digital-signature-2', keyPath: 'x-adobe-public-key2-path' },
] as const;

const KEY_TTL_MS = 24 * 3600_000;
const MISSING_KEY_TTL_MS = 5 * 60_000;
const MAX_CACHED_KEYS = 32;
const MAX_PEM_BYTES = 16 * 1024;
/**
 * ASSUMED: `prod` is what commerce.md §3.8 shows; `stage` is Adobe's stage environment key folder.
 * Anything else (other folders, `..`, query strings, absolute URLs) is refused before any fetch.
 */
const KEY_PATH = /^\/(prod|stage)\/keys\/pub-key-[A-Za-z0-9-]{1,64}\.pem$/;
/** RSA 2048/3072/4096-bit signatures are 256/384/512 bytes. */
const RSA_SIGNATURE_BYTES = new Set([256, 384, 512]);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key host is unreachable or answered 5xx: the delivery should be retried, not refused. */
export class PublicKeyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublicKeyUnavailableError';
  }
}

export interface PublicKeyCacheOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Per key fetch timeout (default 5 s: I/O gives a webhook 10 s in total, §3.7). */
  timeoutMs?: number;
}

export interface PublicKeyCache {
  readonly baseUrl: string;
  /** The key at a header path; undefined when the path is not of the documented form or the key does not exist. */
  get(path: string): Promise<KeyObject | undefined>;
}

export function isPublicKeyPath(path: string): boolean {
  return KEY_PATH.test(path);
}

export function normalizeBaseUrl(value: string | undefined): string {
  const raw = (value ?? '').trim() || DEFAULT_PUBLIC_KEY_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`${PUBLIC_KEY_BASE_URL_INPUT} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${PUBLIC_KEY_BASE_URL_INPUT} must be an absolute http(s) URL`);
  if (url.search || url.hash || url.username || url.password) throw new TypeError(`${PUBLIC_KEY_BASE_URL_INPUT} must not carry a query, fragment or credentials`);
  return url.toString().replace(/\/+$/, '');
}

export function createPublicKeyCache(options: PublicKeyCacheOptions = {}): PublicKeyCache {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const entries = new Map<string, { key?: KeyObject; until: number; loading?: Promise<KeyObject | undefined> }>();

  const remember = (path: string, entry: { key?: KeyObject; until: number; loading?: Promise<KeyObject | undefined> }) => {
    entries.delete(path);
    entries.set(path, entry);
    while (entries.size > MAX_CACHED_KEYS) entries.delete(entries.keys().next().value as string);
  };

  async function load(path: string): Promise<KeyObject | undefined> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    } catch (error) {
      throw new PublicKeyUnavailableError(`the I/O Events public key could not be fetched: ${(error as Error).message}`);
    }
    if (response.status >= 500 || response.status === 429) {
      await response.arrayBuffer().catch(() => undefined);
      throw new PublicKeyUnavailableError(`the I/O Events key host answered ${response.status}`);
    }
    const text = response.ok ? await response.text() : (await response.arrayBuffer().catch(() => undefined), '');
    if (!response.ok || text.length > MAX_PEM_BYTES || !text.includes('-----BEGIN PUBLIC KEY-----')) return undefined;
    try {
      const key = createPublicKey(text);
      return key.asymmetricKeyType === 'rsa' ? key : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    baseUrl,
    async get(path) {
      if (!isPublicKeyPath(path)) return undefined;
      const t = now();
      const cached = entries.get(path);
      if (cached && cached.until > t) return cached.loading ?? cached.key;
      // Concurrent deliveries signed with the same new key share one fetch.
      const loading = load(path);
      remember(path, { until: t + MISSING_KEY_TTL_MS, loading });
      try {
        const key = await loading;
        remember(path, { key, until: t + (key ? KEY_TTL_MS : MISSING_KEY_TTL_MS) });
        return key;
      } catch (error) {
        entries.delete(path);
        throw error;
      }
    },
  };
}

export type SignatureCheck =
  | { ok: true; verifiedBy: 1 | 2 }
  | { ok: false; reason: 'missing_signature' | 'invalid_signature' };

function decodeSignature(value: string | undefined): Buffer | undefined {
  const text = value?.trim();
  if (!text || text.length > 1024 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return RSA_SIGNATURE_BYTES.has(bytes.length) ? bytes : undefined;
}

/**
 * Verifies the raw body against both signature/key pairs. Throws PublicKeyUnavailableError only
 * when no signature verified and a key could not be fetched for a reason worth retrying.
 */
export async function verifyAdobeSignature(rawBody: Buffer, headers: Record<string, string | undefined>, keys: PublicKeyCache): Promise<SignatureCheck> {
  let sawSignature = false;
  let unavailable: PublicKeyUnavailableError | undefined;
  for (const [index, names] of SIGNATURE_HEADERS.entries()) {
    const rawSignature = headers[names.signature];
    const path = headers[names.keyPath]?.trim();
    if (rawSignature === undefined || path === undefined) continue;
    sawSignature = true;
    const signature = decodeSignature(rawSignature);
    if (!signature || !isPublicKeyPath(path)) continue;
    let key: KeyObject | undefined;
    try {
      key = await keys.get(path);
    } catch (error) {
      if (error instanceof PublicKeyUnavailableError) {
        unavailable ??= error;
        continue;
      }
      throw error;
    }
    if (!key) continue;
    let valid = false;
    try {
      valid = verify('RSA-SHA256', rawBody, key, signature);
    } catch {
      valid = false;
    }
    if (valid) return { ok: true, verifiedBy: (index + 1) as 1 | 2 };
  }
  if (unavailable) throw unavailable;
  return { ok: false, reason: sawSignature ? 'invalid_signature' : 'missing_signature' };
}

/** The I/O Events challenge (§3.8): GET `?challenge=<uuid>` is answered with the value itself. */
export function challengeAnswer(query: Record<string, string | undefined>): { challenge: string } | undefined {
  const challenge = query.challenge;
  // ASSUMED: challenges are UUIDs (the docs show `<uuid>`); the cap keeps anything else from being echoed at length.
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9._~-]{1,128}$/.test(challenge)) return undefined;
  return { challenge };
}
