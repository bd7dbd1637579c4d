/** The openwhisk-client invoker against a small fake of the OpenWhisk REST shape the local host serves. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionInvokeError, createOpenwhiskInvoker } from '../../lib/platform/invoker';

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  auth: string | undefined;
  body: unknown;
}

const recorded: Recorded[] = [];
let server: http.Server;
let apihost: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      recorded.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), auth: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const action = url.pathname.replace(/^\/api\/v1\/namespaces\/[^/]+\/actions\//, '');
      const blocking = url.searchParams.get('blocking') === 'true';
      if (action === 'connector/fails') {
        return send(502, { activationId: 'act-fail', response: { result: { error: 'mapping error: sku missing' }, success: false, status: 'application error' } });
      }
      if (action === 'connector/busy') return send(503, { error: 'service unavailable' });
      if (action === 'connector/slow' && blocking) return send(202, { activationId: 'act-slow' });
      if (!blocking) return send(202, { activationId: 'act-async' });
      return send(200, { activationId: 'act-sync', response: { result: { echoed: (recorded.at(-1)!.body as { n: number }).n }, success: true, status: 'success' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apihost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const invoker = () => createOpenwhiskInvoker({ apihost, namespace: '1234567-hcc-local', apiKey: 'user-uuid:secret-key' });

describe('openwhisk invoker', () => {
  it('invokes non-blocking with the OpenWhisk path, Basic auth and params body', async () => {
    const before = recorded.length;
    const result = await invoker().invoke('connector/worker', { job: 'inventory', chunk: 3 });
    expect(result).toEqual({ activationId: 'act-async' });
    const request = recorded[before];
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/namespaces/1234567-hcc-local/actions/connector/worker');
    expect(request.query.blocking).toBe('false');
    expect(request.auth).toBe(`Basic ${Buffer.from('user-uuid:secret-key').toString('base64')}`);
    expect(request.body).toEqual({ job: 'inventory', chunk: 3 });
  });

  it('invokes blocking and returns the action result', async () => {
    const before = recorded.length;
    const result = await invoker().invoke('connector/worker', { n: 7 }, { blocking: true });
    expect(result).toEqual({ activationId: 'act-sync', result: { echoed: 7 } });
    expect(recorded[before].query.blocking).toBe('true');
  });

  it('returns only the id when a blocking call outlives the wait (202)', async () => {
    expect(await invoker().invoke('connector/slow', {}, { blocking: true })).toEqual({ activationId: 'act-slow' });
  });

  it('turns an application error into a terminal ActionInvokeError with the activation and result', async () => {
    const error = (await invoker().invoke('connector/fails', {}, { blocking: true }).catch((e: unknown) => e)) as ActionInvokeError;
    expect(error).toBeInstanceOf(ActionInvokeError);
    expect(error).toMatchObject({ action: 'connector/fails', status: 502, activationId: 'act-fail', retryable: false, result: { error: 'mapping error: sku missing' } });
  });

  it('marks 503 as retryable', async () => {
    const error = (await invoker().invoke('connector/busy', {}).catch((e: unknown) => e)) as ActionInvokeError;
    expect(error).toMatchObject({ status: 503, retryable: true });
  });

  it('marks an unreachable host as retryable with status 0', async () => {
    const dead = createOpenwhiskInvoker({ apihost: 'http://127.0.0.1:1', namespace: 'ns', apiKey: 'a:b' });
    const error = (await dead.invoke('connector/worker', {}).catch((e: unknown) => e)) as ActionInvokeError;
    expect(error).toMatchObject({ status: 0, retryable: true });
  });

  it.each([
    ['worker', {}, /<package>\/<action>/],
    ['a/b/c', {}, /<package>\/<action>/],
    ['connector/worker', [] as unknown as Record<string, unknown>, /must be an object/],
    ['connector/worker', { blob: 'x'.repeat(1024 * 1024) }, /bytes; Runtime accepts at most/],
  ])('refuses %j before sending', async (action, params, message) => {
    const before = recorded.length;
    await expect(invoker().invoke(action, params)).rejects.toThrow(message);
    expect(recorded.length).toBe(before);
  });

  it.each([
    [{ apihost: '', namespace: 'n', apiKey: 'k' }, /apihost/],
    [{ apihost: 'http://h', namespace: 'undefined', apiKey: 'k' }, /namespace/],
    [{ apihost: 'http://h', namespace: 'n', apiKey: '' }, /apiKey/],
  ])('needs its options %j', (options, message) => {
    expect(() => createOpenwhiskInvoker(options)).toThrow(message);
  });
});
