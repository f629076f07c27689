// Each integration test file gets its own freshly migrated database and drops it afterwards, so
// files cannot see each other's rows and a second run starts clean.
import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../../platform/db/client.ts';
import { migrate } from '../../scripts/db/migrate.ts';
import { dropDatabase, ensureDatabase } from '../../scripts/services/postgres.ts';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with ./arrears test, which starts the services`);
  return value;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requireEnv('ARREARS_TEST_ADMIN_DB_URL');
  const name = `t_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  await migrate(url);
  const db = createDb(url, { max: 5 });
  return {
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      await dropDatabase(adminUrl, name);
    },
  };
}
