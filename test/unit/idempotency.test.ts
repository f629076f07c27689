import { describe, expect, test } from 'vitest';
import { abandonedAfterMs, decideRepeat, idempotencyKeyLifetimeMs, parseIdempotencyKey } from '../../domain/idempotency.ts';

const request = { method: 'POST', path: '/api/v1/payments', requestHash: 'h1' };
const now = new Date('2026-11-25T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('the Idempotency-Key header', () => {
  test('absent is fine; empty, too long, several or with spaces is malformed', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ key: null });
    expect(parseIdempotencyKey('abc-123')).toEqual({ key: 'abc-123' });
    expect(parseIdempotencyKey('x'.repeat(255))).toEqual({ key: 'x'.repeat(255) });
    expect(parseIdempotencyKey('')).toHaveProperty('problem');
    expect(parseIdempotencyKey('   ')).toHaveProperty('problem');
    expect(parseIdempotencyKey('x'.repeat(256))).toHaveProperty('problem');
    expect(parseIdempotencyKey(['a', 'b'])).toHaveProperty('problem');
    expect(parseIdempotencyKey('a b')).toHaveProperty('problem');
  });
});

describe('a repeated key', () => {
  test('the same request, answered, gets the stored answer again', () => {
    expect(decideRepeat({ ...request, createdAt: ago(1000), completedAt: ago(900) }, request, now)).toBe('replay');
  });

  test('another body, path or method with the same key is refused', () => {
    const recorded = { ...request, createdAt: ago(1000), completedAt: ago(900) };
    expect(decideRepeat(recorded, { ...request, requestHash: 'h2' }, now)).toBe('key_reused');
    expect(decideRepeat(recorded, { ...request, path: '/api/v1/payments/reversals' }, now)).toBe('key_reused');
    expect(decideRepeat({ ...recorded, completedAt: null }, { ...request, requestHash: 'h2' }, now)).toBe('key_reused');
  });

  test('while the first is running the repeat waits; a first request abandoned for 5 minutes gives its key up', () => {
    expect(decideRepeat({ ...request, createdAt: ago(1000), completedAt: null }, request, now)).toBe('in_progress');
    expect(decideRepeat({ ...request, createdAt: ago(abandonedAfterMs), completedAt: null }, request, now)).toBe('claim_again');
  });

  test('after 24 hours the key may be used afresh, for any request', () => {
    expect(decideRepeat({ ...request, createdAt: ago(idempotencyKeyLifetimeMs), completedAt: ago(idempotencyKeyLifetimeMs - 1) }, { ...request, requestHash: 'h2' }, now)).toBe('claim_again');
    expect(decideRepeat({ ...request, createdAt: ago(idempotencyKeyLifetimeMs - 1), completedAt: ago(idempotencyKeyLifetimeMs - 2) }, request, now)).toBe('replay');
  });
});
