import { describe, expect, it } from 'vitest';
import { createRateLimiter, requestSource } from '../../lib/security/rate-limit';

describe('createRateLimiter', () => {
  it('allows a burst, then refuses with a Retry-After, then refills at the sustained rate', () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 60, burst: 3, now: () => t });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
    t += 1000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });
  it('keeps sources apart', () => {
    const limiter = createRateLimiter({ perMinute: 60, burst: 1, now: () => 0 });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });
  it('remembers a bounded number of sources', () => {
    const limiter = createRateLimiter({ perMinute: 60, maxSources: 100, now: () => 0 });
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size()).toBe(100);
  });
  it('rejects a non-positive rate', () => {
    expect(() => createRateLimiter({ perMinute: 0 })).toThrow(/perMinute/);
  });
});

describe('requestSource', () => {
  it('takes the hop the gateway appended (the last), then x-real-ip, then one shared bucket', () => {
    expect(requestSource({ 'x-forwarded-for': 'spoofed-by-caller, 203.0.113.9' })).toBe('203.0.113.9');
    expect(requestSource({ 'x-real-ip': '198.51.100.2' })).toBe('198.51.100.2');
    expect(requestSource({})).toBe('unknown');
  });
});
