// `npm run db:diff -- <name>`: writes the SQL migration that takes the committed schema
// (HEAD:prisma/schema.prisma, which the committed migrations produce) to the working-tree schema.
// Prisma 7's diff needs the native schema engine, which is download-only; Prisma 6.19's CLI diffs two
// datamodels offline with its WebAssembly engine, so we run that from a cache folder (see docs/database.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, repoRoot } from '../services/paths.ts';
import { startPostgres } from '../services/postgres.ts';
import { freePort } from '../services/process.ts';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_');
if (!name) {
  console.error('usage: npm run db:diff -- <migration_name>');
  process.exit(2);
}
const toolDir = path.join(cacheDir, 'prisma6');
if (!existsSync(path.join(toolDir, 'node_modules', 'prisma'))) {
  mkdirSync(toolDir, { recursive: true });
  writeFileSync(path.join(toolDir, 'package.json'), '{"name":"prisma6-diff","private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'prisma@6.19', '@prisma/adapter-pg@6.19', 'pg'], { cwd: toolDir, stdio: 'inherit' });
}
writeFileSync(
  path.join(toolDir, 'prisma.config.ts'),
  `import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
export default defineConfig({ experimental: { adapter: true }, engine: 'js', adapter: async () => new PrismaPg({ connectionString: process.env.DIFF_DATABASE_URL ?? '' }) } as any);
`,
);
// Prisma 6 wants a url in the datasource block; Prisma 7 keeps it in prisma.config.ts.
const forPrisma6 = (schema: string) => schema.replace(/provider\s*=\s*"postgresql"/, 'provider = "postgresql"\n  url = env("DATABASE_URL")');
const fromFile = path.join(toolDir, 'from.prisma');
const toFile = path.join(toolDir, 'to.prisma');
writeFileSync(fromFile, forPrisma6(execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: repoRoot }).toString()));
writeFileSync(toFile, forPrisma6(readFileSync(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8')));

// The WebAssembly engine insists on a reachable database even for a datamodel-to-datamodel diff.
const pg = await startPostgres(path.join(repoRoot, '.data', 'diff'), await freePort(), 'diff');
try {
  const result = spawnSync('node', [path.join(toolDir, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'diff', '--from-schema-datamodel', fromFile, '--to-schema-datamodel', toFile, '--script'], {
    cwd: toolDir,
    env: { ...process.env, DIFF_DATABASE_URL: pg.url, DATABASE_URL: pg.url, PRISMA_QUERY_ENGINE_LIBRARY: '/bin/true', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr || 'prisma migrate diff failed');
  const sql = result.stdout.trim();
  if (!sql || /^-- This is an empty migration/.test(sql)) {
    console.log('no schema changes since HEAD');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(repoRoot, 'prisma', 'migrations', `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), `${sql}\n`);
    console.log(`wrote ${path.relative(repoRoot, dir)}/migration.sql`);
  }
} finally {
  await pg.stop();
}
