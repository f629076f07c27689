// Applies prisma/migrations/*/migration.sql in order, with Prisma's own bookkeeping table
// (`_prisma_migrations`, sha256 checksums), so that `prisma migrate deploy` / `status` agree on a
// machine that has Prisma's native schema engine. Runs under an advisory lock, so several
// processes starting at once apply each migration exactly once.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { repoRoot } from '../services/paths.ts';

const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');
const lockKey = 72707369; // the key Prisma Migrate uses for its own advisory lock

export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [lockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'select migration_name, checksum, finished_at from "_prisma_migrations" where rolled_back_at is null',
    );
    const byName = new Map(done.rows.map((r) => [r.migration_name, r]));
    for (const name of migrationNames()) {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = byName.get(name);
      if (previous?.finished_at) {
        if (previous.checksum !== checksum) log(`warning: migration ${name} was modified after it was applied`);
        continue;
      }
      if (previous) throw new Error(`migration ${name} failed earlier and needs attention (see _prisma_migrations)`);
      const id = randomUUID();
      await client.query('insert into "_prisma_migrations" (id, checksum, migration_name) values ($1, $2, $3)', [id, checksum, name]);
      try {
        await client.query('begin');
        await client.query(sql);
        await client.query('update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = $1', [id]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        await client.query('update "_prisma_migrations" set logs = $2 where id = $1', [id, String(error)]);
        throw new Error(`migration ${name} failed: ${String(error)}`);
      }
      applied.push(name);
      log(`applied migration ${name}`);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [lockKey]).catch(() => {});
    await client.end();
  }
  return applied;
}

function migrationNames(): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set (the start command sets it for the embedded database)');
    process.exit(2);
  }
  const applied = await migrate(url, console.log);
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
}
