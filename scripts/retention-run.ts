// `npm run retention:run`: one pass of the retention job now, against DATABASE_URL, with the
// configured RETENTION_YEARS (X1): prints how many customers it examined and pseudonymised.
import { loadConfig } from '../platform/config.ts';
import { createDb } from '../platform/db/client.ts';
import { runRetention } from '../services/retention.ts';

const config = loadConfig({ REDIS_URL: 'unused', ...process.env });
const db = createDb(config.DATABASE_URL);
try {
  const run = await runRetention(db, { retentionYears: config.RETENTION_YEARS });
  console.log(`retention ${run.retentionYears} years: ${run.examined} examined, ${run.pseudonymised.length} pseudonymised`);
} finally {
  await db.$disconnect();
}
