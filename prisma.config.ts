// Prisma CLI configuration. `prisma generate` needs no database; migrations are applied by
// scripts/db/migrate.ts (see docs/database.md), so the URL is only read when a CLI command needs it.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/arrears' },
});
