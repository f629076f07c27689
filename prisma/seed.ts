// `npm run db:seed`: loads the demo data into an empty database (see demo-data.ts).
import { createDb } from '../platform/db/client.ts';
import { isSeeded, seedDemoData } from './demo-data.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(2);
}
const db = createDb(url);
try {
  if (await isSeeded(db)) console.log('the database already has data; nothing to seed');
  else console.log(`seeded ${(await seedDemoData(db, { log: console.log, history: true })).accounts} demo accounts`);
} finally {
  await db.$disconnect();
}
