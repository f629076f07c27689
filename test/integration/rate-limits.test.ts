// Rate limits are shared through Redis, so they hold across API instances: guessing passwords and
// flooding the API both end in 429 problem documents.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, createUser, testPassword } from '../support/fixtures.ts';
import { requireEnv } from '../support/database.ts';
import { Redis } from 'ioredis';

let system: TestSystem;
beforeAll(async () => {
  // Earlier test files' requests from this same address count in the shared window: start from zero.
  const redis = new Redis(requireEnv('REDIS_URL'));
  const keys = await redis.keys('rl:*');
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  system = await startTestSystem({ withWorker: false, env: { LOGIN_RATE_LIMIT_PER_15_MIN: '3', RATE_LIMIT_PER_MINUTE: '20' } });
});
afterAll(async () => system?.stop());

describe('rate limits', () => {
  test('repeated wrong passwords for one account are cut off, even the right one after', async () => {
    const user = await createUser(system.database.db, 'collector');
    for (let i = 0; i < 3; i++) expect((await request(system.app).post('/api/v1/auth/login').send({ email: user.email, password: 'guess' })).status).toBe(401);
    const blocked = await request(system.app).post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('rate_limited');
  });

  test('a client flooding the API is slowed to its per-minute allowance', async () => {
    const key = await createApiKey(system.database.db, ['accounts:read']);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await request(system.app).get('/api/v1/branches').set('x-api-key', key)).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    expect(statuses.at(-1)).toBe(429);
  });
});
