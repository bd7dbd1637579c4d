/**
 * Constant-time comparison of a caller-supplied shared secret (webhook URLs, for instance).
 * Both values are hashed first so the comparison takes the same time whatever their lengths.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function sharedSecretMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
