import { describe, expect, test } from 'vitest';
import { auditHash, canonicalJson, genesisHash } from '../../services/audit.ts';

describe('audit hash chain', () => {
  test('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe(canonicalJson({ a: { c: [3, { e: 5, f: 4 }], d: 2 }, b: 1 }));
  });

  test('a change to any field, or to the previous hash, changes the hash', () => {
    const row = { action: 'payment.posted', entityId: 'p1', after: { amountMinor: '100' } };
    const hash = auditHash(genesisHash, row);
    expect(auditHash(genesisHash, { ...row, after: { amountMinor: '101' } })).not.toBe(hash);
    expect(auditHash('1'.repeat(64), row)).not.toBe(hash);
    expect(auditHash(genesisHash, { ...row })).toBe(hash);
  });
});
