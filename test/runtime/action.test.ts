import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError, createRouter, decodeRawBody, defineAction, defineWebAction, parseJsonBody, splitParams } from '../../lib/runtime';

describe('splitParams', () => {
  it('separates inputs (env-style names), web extras and the caller payload', () => {
    const split = splitParams({ HEARTLAND_API_TOKEN: 't', LOG_LEVEL: '', __ow_method: 'get', type: 'x', data: { a: 1 } });
    expect(split.inputs).toEqual({ HEARTLAND_API_TOKEN: 't' });
    expect(split.web).toEqual({ __ow_method: 'get' });
    expect(split.payload).toEqual({ type: 'x', data: { a: 1 } });
  });
});

describe('defineAction', () => {
  const main = defineAction({
    name: 'test/echo',
    payload: z.object({ job: z.string(), lines: z.array(z.object({ sku: z.string() })).optional() }),
    handle: (payload, context) => {
      if (payload.job === 'boom') throw new Error('database password=hunter2 leaked');
      if (payload.job === 'refuse') throw new HttpError(409, 'conflict', 'already running', 'job');
      return { job: payload.job, inputNames: Object.keys(context.inputs) };
    },
  });

  it('wraps a plain value as a 200 JSON response and passes inputs separately', async () => {
    const result = await main({ job: 'a', HEARTLAND_API_TOKEN: 'secret' });
    expect(result).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: { job: 'a', inputNames: ['HEARTLAND_API_TOKEN'] } });
  });

  it('answers 400 naming the dotted field path when the payload is invalid', async () => {
    const result = await main({ job: 'a', lines: [{ sku: 1 }] });
    expect(result).toMatchObject({ error: { statusCode: 400, body: { error: { code: 'invalid_request', field: 'lines.0.sku' } } } });
  });

  it('maps HttpError to its status, code and field', async () => {
    const result = await main({ job: 'refuse' });
    expect(result).toMatchObject({ error: { statusCode: 409, body: { error: { code: 'conflict', message: 'already running', field: 'job' } } } });
  });

  it('maps unexpected errors to 500 with a correlation id and no message or stack', async () => {
    const result = await main({ job: 'boom', __ow_headers: { 'X-Request-Id': 'req-123' } });
    expect(result).toMatchObject({ error: { statusCode: 500, body: { error: { code: 'internal_error', correlationId: 'req-123' } } } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain('at ');
  });
});

describe('defineWebAction', () => {
  it('reads method, lower-cased headers, path and merged fields', async () => {
    const main = defineWebAction({ name: 'test/web', handle: (request) => ({ method: request.method, path: request.path, headers: request.headers, fields: request.fields }) });
    const result = await main({ __ow_method: 'POST', __ow_path: 'a/b/', __ow_headers: { 'Content-Type': 'application/json' }, x: 1, SECRET_TOKEN: 's' });
    expect(result).toMatchObject({ statusCode: 200, body: { method: 'post', path: '/a/b', headers: { 'content-type': 'application/json' }, fields: { x: 1 } } });
    expect(JSON.stringify(result)).not.toContain('"s"');
  });

  it('decodes a base64 raw body and keeps the exact bytes', async () => {
    const main = defineWebAction({ name: 'test/raw', raw: true, handle: (request) => ({ text: request.rawBody.toString('utf8'), json: parseJsonBody(request.rawBody), query: request.query }) });
    const body = Buffer.from('{"a": 1}').toString('base64');
    const result = await main({ __ow_method: 'post', __ow_body: body, __ow_query: 'x=1&y=2', __ow_headers: { 'content-type': 'application/json' } });
    expect(result).toMatchObject({ statusCode: 200, body: { text: '{"a": 1}', json: { a: 1 }, query: { x: '1', y: '2' } } });
  });

  it('answers 400 malformed_json for a raw body that is not JSON', async () => {
    const main = defineWebAction({ name: 'test/raw', raw: true, handle: (request) => parseJsonBody(request.rawBody) });
    const result = await main({ __ow_method: 'post', __ow_body: Buffer.from('{oops').toString('base64'), __ow_headers: {} });
    expect(result).toMatchObject({ error: { statusCode: 400, body: { error: { code: 'malformed_json' } } } });
  });

  it('rejects an unknown HTTP method with 405', async () => {
    const main = defineWebAction({ name: 'test/web', handle: () => ({}) });
    expect(await main({ __ow_method: 'TRACE' })).toMatchObject({ error: { statusCode: 405 } });
  });
});

describe('decodeRawBody', () => {
  it('passes text bodies through and decodes others from base64', () => {
    expect(decodeRawBody('a=1', 'application/x-www-form-urlencoded').toString()).toBe('a=1');
    expect(decodeRawBody(Buffer.from([0, 255]).toString('base64'), 'application/octet-stream')).toEqual(Buffer.from([0, 255]));
    expect(decodeRawBody(undefined, undefined).length).toBe(0);
  });
  it('refuses a JSON body that is not base64', () => {
    expect(() => decodeRawBody('{"a":1}', 'application/json')).toThrow(/base64/);
  });
});

describe('createRouter', () => {
  const router = createRouter<void>()
    .on('get', '/dlq/:flow/:id', (_request, params) => params)
    .on('post', '/dlq/:flow/:id', () => 'posted');
  const request = (method: 'get' | 'put', path: string) => ({ method, path, headers: {}, query: {}, fields: {}, rawBody: Buffer.alloc(0), inputs: {} });

  it('matches :params and decodes them', async () => {
    expect(await router.dispatch(request('get', '/dlq/order/A%2F1'), undefined)).toEqual({ flow: 'order', id: 'A/1' });
  });
  it('answers 404 for an unknown path and 405 listing allowed methods', async () => {
    await expect(router.dispatch(request('get', '/nope'), undefined)).rejects.toMatchObject({ status: 404 });
    await expect(router.dispatch(request('put', '/dlq/order/1'), undefined)).rejects.toMatchObject({ status: 405, message: expect.stringContaining('GET, POST') });
  });
});
