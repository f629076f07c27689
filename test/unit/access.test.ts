import { describe, expect, test } from 'vitest';
import { canAccessBranch, hasPermission, type Principal } from '../../domain/access.ts';

const user = (role: 'admin' | 'supervisor' | 'collector' | 'field_rep' | 'legal' | 'viewer', branchId: string | null = null): Principal => ({ kind: 'user', id: 'u', role, branchId, name: 'x' });

describe('roles and branches', () => {
  test('a collector can read and work accounts but cannot manage API keys or see the queue board', () => {
    expect(hasPermission(user('collector'), 'accounts:read')).toBe(true);
    expect(hasPermission(user('collector'), 'accounts:write')).toBe(true);
    expect(hasPermission(user('collector'), 'api_keys:manage')).toBe(false);
    expect(hasPermission(user('collector'), 'queues:manage')).toBe(false);
  });

  test('a viewer only reads', () => {
    expect(hasPermission(user('viewer'), 'accounts:read')).toBe(true);
    expect(hasPermission(user('viewer'), 'payments:write')).toBe(false);
  });

  test('an API key has exactly its scopes', () => {
    const key: Principal = { kind: 'api_key', id: 'k', scopes: ['payments:write'], branchId: null, name: 'billing' };
    expect(hasPermission(key, 'payments:write')).toBe(true);
    expect(hasPermission(key, 'delinquencies:report')).toBe(false);
  });

  test('a branch-bound user sees only that branch; a branchless one sees all', () => {
    expect(canAccessBranch(user('collector', 'east'), 'east')).toBe(true);
    expect(canAccessBranch(user('collector', 'east'), 'west')).toBe(false);
    expect(canAccessBranch(user('supervisor', null), 'west')).toBe(true);
  });
});
