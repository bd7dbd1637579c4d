/**
 * Defense in depth for `require-adobe-auth`: Runtime (or the sandbox host) validates the IMS token
 * before the action runs, but a mis-deployed action without the annotation must still refuse
 * anonymous calls. The action cannot validate the token itself (no IMS call on every request), so
 * it checks that both headers Adobe's gateway requires are present.
 */
import { HttpError } from '../runtime/http-error';

export function requireAdobeHeaders(headers: Record<string, string>): { orgId: string } {
  const authorization = headers.authorization?.trim();
  if (!authorization || !/^Bearer\s+\S+/i.test(authorization)) {
    throw new HttpError(401, 'unauthorized', 'authorization: a Bearer IMS token is required', 'authorization');
  }
  const orgId = headers['x-gw-ims-org-id']?.trim();
  if (!orgId) throw new HttpError(401, 'unauthorized', 'x-gw-ims-org-id: the IMS organization header is required', 'x-gw-ims-org-id');
  return { orgId };
}
