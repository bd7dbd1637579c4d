import { describe, expect, it, vi } from 'vitest';
import { createAioLoggingSink, createLogger } from '../../lib/platform/logger';
import { createManualClock } from '../../lib/platform/memory';
import type { LogLevel } from '../../lib/platform/log-level';

function capture(level?: LogLevel) {
  const out: Array<{ line: string; level: LogLevel }> = [];
  const logger = createLogger({ name: 'test', level, sink: (line, lvl) => out.push({ line, level: lvl }), clock: createManualClock(Date.UTC(2026, 0, 2)) });
  return { logger, out, parsed: () => out.map((o) => JSON.parse(o.line)) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, name, message and fields', () => {
    const { logger, out, parsed } = capture('debug');
    logger.info('order synced', { orderId: '100001', qty: 2 });
    expect(out).toHaveLength(1);
    expect(out[0].line).not.toContain('\n');
    expect(parsed()[0]).toEqual({ time: '2026-01-02T00:00:00.000Z', level: 'info', name: 'test', message: 'order synced', orderId: '100001', qty: 2 });
    expect(Object.keys(parsed()[0]).slice(0, 4)).toEqual(['time', 'level', 'name', 'message']);
  });

  it.each([
    ['message PAN', () => ['card 4111111111111111 declined', {}], (l: any) => expect(l.message).toBe('card ************1111 declined')],
    ['secret field', () => ['x', { consumer_secret: 'abc' }], (l: any) => expect(l.consumer_secret).toBe('[redacted]')],
    ['nested header', () => ['x', { request: { headers: { Authorization: 'Bearer abcdefghijk' } } }], (l: any) => expect(l.request.headers.Authorization).toBe('[redacted]')],
    ['PAN deep in a payload', () => ['x', { payload: { payment: { cc_number: '5555 5555 5555 4444' } } }], (l: any) => expect(l.payload.payment.cc_number).toBe('**** **** **** 4444')],
    ['error field', () => ['x', { error: new Error('upstream said api_key=zzz') }], (l: any) => expect(l.error.message).toBe('upstream said api_key=[redacted]')],
    ['token in URL', () => ['GET https://h/x?access_token=abc', {}], (l: any) => expect(l.message).toBe('GET https://h/x?access_token=[redacted]')],
  ] as const)('redacts %s', (_name, args, check) => {
    const { logger, out, parsed } = capture();
    const [message, fields] = args() as [string, Record<string, unknown>];
    logger.warn(message, fields);
    check(parsed()[0]);
    expect(out[0].line).not.toMatch(/4111111111111111|abcdefghijk|zzz|"abc"/);
  });

  it('filters by level, defaulting to LOG_LEVEL', () => {
    const { logger, parsed } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((l) => l.level)).toEqual(['warn', 'error']);

    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'ERROR';
    try {
      const lines: string[] = [];
      const fromEnv = createLogger({ name: 'env', sink: (line) => lines.push(line) });
      fromEnv.warn('w');
      fromEnv.error('e');
      expect(lines.map((l) => JSON.parse(l).message)).toEqual(['e']);
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });

  it('child() merges fields, and core keys cannot be overwritten', () => {
    const { logger, parsed } = capture();
    const child = logger.child({ correlationId: 'c-1', flow: 'order' }).child({ flow: 'refund' });
    child.info('hello', { message: 'not the message', level: 'x' });
    expect(parsed()[0]).toMatchObject({ message: 'hello', level: 'info', correlationId: 'c-1', flow: 'refund', field_message: 'not the message', field_level: 'x' });
  });

  it('never throws from a failing sink or an unserialisable field', () => {
    const logger = createLogger({ name: 'x', sink: () => { throw new Error('disk full'); } });
    expect(() => logger.error('boom')).not.toThrow();
    const lines: string[] = [];
    const bad = { get oops() { throw new Error('getter'); } };
    createLogger({ name: 'x', sink: (l) => lines.push(l) }).info('m', { bad });
    expect(JSON.parse(lines[0])).toMatchObject({ message: 'm', logError: expect.stringContaining('getter') });
  });
});

describe('aio-lib-core-logging sink', () => {
  it('writes the redacted JSON line as the message of an aio log line at the same level', () => {
    const writes: string[] = [];
    // winston's Console transport writes to console._stdout (Node maps it to stdout; the test runner to its own stream).
    const streams = new Set([process.stdout, (console as unknown as { _stdout?: NodeJS.WriteStream })._stdout].filter(Boolean));
    const spies = [...streams].map((stream) =>
      vi.spyOn(stream!, 'write').mockImplementation((chunk: unknown) => (writes.push(String(chunk)), true)),
    );
    try {
      const logger = createLogger({ name: 'flow', level: 'debug', sink: createAioLoggingSink('hcc-aio-test') });
      logger.warn('card 4111111111111111', { orderId: 'o-1' });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const line = writes.join('');
    const match = /\[hcc-aio-test\] warn: (\{.*\})/.exec(line);
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1])).toMatchObject({ level: 'warn', name: 'flow', message: 'card ************1111', orderId: 'o-1' });
  });
});
