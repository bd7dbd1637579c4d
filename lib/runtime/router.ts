/**
 * A small router on `__ow_path` for web actions that serve several endpoints (admin-api).
 * Patterns use `:name` segments (`/dlq/:flow/:id`). An unknown path answers 404 and a known path
 * with the wrong method 405 listing the allowed ones, so the panel gets a clear error.
 */
import { HttpError } from './http-error';
import type { HttpMethod, WebRequest } from './request';

export type RouteHandler<C> = (request: WebRequest, pathParams: Record<string, string>, context: C) => Promise<unknown> | unknown;

interface Route<C> {
  method: HttpMethod;
  pattern: string;
  segments: string[];
  handler: RouteHandler<C>;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

export interface Router<C> {
  on(method: HttpMethod, pattern: string, handler: RouteHandler<C>): Router<C>;
  /** Runs the matching route; throws HttpError 404/405 when none matches. */
  dispatch(request: WebRequest, context: C): Promise<unknown>;
}

export function createRouter<C = void>(): Router<C> {
  const routes: Route<C>[] = [];

  function match(route: Route<C>, segments: string[]): Record<string, string> | undefined {
    if (route.segments.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const expected = route.segments[i];
      const actual = segments[i];
      if (expected.startsWith(':')) {
        try {
          params[expected.slice(1)] = decodeURIComponent(actual);
        } catch {
          throw new HttpError(400, 'invalid_path', `path segment "${actual}" is not valid URL encoding`);
        }
      } else if (expected !== actual) return undefined;
    }
    return params;
  }

  const router: Router<C> = {
    on(method, pattern, handler) {
      routes.push({ method, pattern, segments: splitPath(pattern), handler });
      return router;
    },
    async dispatch(request, context) {
      const segments = splitPath(request.path);
      const allowed: string[] = [];
      for (const route of routes) {
        const params = match(route, segments);
        if (!params) continue;
        // HEAD is answered like GET, as HTTP servers do.
        const method = request.method === 'head' ? 'get' : request.method;
        if (route.method === method) return route.handler(request, params, context);
        allowed.push(route.method.toUpperCase());
      }
      if (allowed.length > 0) {
        throw new HttpError(405, 'method_not_allowed', `${request.method.toUpperCase()} ${request.path} is not allowed; use ${allowed.join(', ')}`);
      }
      throw new HttpError(404, 'not_found', `no endpoint at ${request.path}`);
    },
  };
  return router;
}
