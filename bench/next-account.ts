// Serving benchmark (W3): 50 simulated collectors pull "next account" over a book of 100,000 open
// cases, record an outcome on each and finish it, through the HTTP API: first paced (10 s on each
// account, --think-ms), then saturated (no time on the call: the machine's ceiling).
//
//   npm run bench:next                                   # 50 collectors, 100,000 cases, 2 x 60 s
//   npm run bench:next -- --collectors 20 --cases 20000 --seconds 30
//   npm run bench:next -- --explain                       # also print the plan of the serving query
//
// It needs no running system: it starts its own PostgreSQL and Redis on free ports (data in
// $ARREARS_DATA_DIR/bench-next, wiped first) and the API in-process (Temporal is not involved in
// serving). The book is written with set-based SQL: customers in a time zone where it is mid-day
// now (so contact hours allow calls), an open case each, one queue worked by the whole branch in
// the default order (calls due first, broken promises first, oldest debt first).
// Prints next-account latency percentiles, accounts served per second, double-served accounts (an
// account served while another collector's stretch of work on it was still open, or served twice),
// and the API process's peak memory.
import { rmSync, mkdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dataDirFor } from '../scripts/services/paths.ts';
import { startPostgres } from '../scripts/services/postgres.ts';
import { startRedis } from '../scripts/services/redis.ts';
import { freePort, stopChildren } from '../scripts/services/process.ts';
import { migrate } from '../scripts/db/migrate.ts';
import { createDb } from '../platform/db/client.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { hashPassword } from '../api/auth/secrets.ts';
import { createApp } from '../api/app.ts';
import { defaultOrdering } from '../domain/work-queues.ts';
import { eligibleFor, filterSql, orderingSql } from '../services/work-serving.ts';
import type { CaseWorkflows } from '../services/case-workflows.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const collectors = option('collectors', 50);
const cases = option('cases', 100_000);
const seconds = option('seconds', 60);
const thinkMs = option('think-ms', 10_000);
const log = (line: string) => console.log(`[bench] ${line}`);
const dataDir = dataDirFor('bench-next');
const password = 'bench-password';

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
for (const name of ['DATABASE_URL', 'REDIS_URL']) delete process.env[name];

const [pgPort, redisPort, apiPort] = [await freePort(), await freePort(), await freePort()];
const [pg, redis] = await Promise.all([startPostgres(dataDir, pgPort, 'arrears_bench'), startRedis(dataDir, redisPort)]);
try {
  await migrate(pg.url);
  const db = createDb(pg.url, { max: 20 });
  const timeZone = middayZone();
  const branch = await db.branch.create({ data: { code: 'BENCH', name: 'Bench CSC', timeZone } });
  const passwordHash = await hashPassword(password);
  await db.user.createMany({ data: Array.from({ length: collectors }, (_, k) => ({ email: `collector${k}@bench.example`, name: `Collector ${k}`, role: 'collector' as const, branchId: branch.id, passwordHash })) });
  await db.workQueue.create({ data: { name: 'Bench: today', branchId: branch.id, filter: {}, ordering: defaultOrdering, members: { create: [{ branchId: branch.id }] } } });

  // The book, set-based: ages 1-180 days, balances $30-$5,000, a few broken promises and due calls.
  const began = performance.now();
  await db.$executeRawUnsafe(`
    INSERT INTO customers (id, external_ref, type, name, time_zone, branch_id, updated_at)
    SELECT gen_random_uuid(), 'CUST-' || n, 'retail', 'Debtor ' || n, '${timeZone}', '${branch.id}', now() FROM generate_series(1, ${cases}) n`);
  await db.$executeRawUnsafe(`
    INSERT INTO accounts (id, external_ref, customer_id, branch_id, currency, status, balance_minor, oldest_due_date, broken_promises, call_due_at, priority_score, updated_at)
    SELECT gen_random_uuid(), 'ACC-' || substr(c.external_ref, 6), c.id, c.branch_id, 'USD', 'delinquent',
           3000 + (hashtext(c.external_ref) & 497000), current_date - (1 + (hashtext(c.external_ref || 'd') & 255) % 180),
           CASE WHEN hashtext(c.external_ref || 'p') % 10 = 0 THEN 1 ELSE 0 END,
           CASE WHEN hashtext(c.external_ref || 'c') % 20 = 0 THEN now() - interval '1 hour' ELSE NULL END,
           0, now()
    FROM customers c`);
  await db.$executeRawUnsafe(`
    INSERT INTO contacts (id, customer_id, kind, value, is_primary) SELECT gen_random_uuid(), c.id, 'mobile', '+1555' || lpad((row_number() OVER ())::text, 7, '0'), true FROM customers c`);
  await db.$executeRawUnsafe(`
    INSERT INTO collection_cases (id, account_id, episode, workflow_id, status, stage, balance_at_open, days_past_due_at_open, updated_at)
    SELECT gen_random_uuid(), a.id, 1, 'bench/' || a.id, 'open', 'soft', a.balance_minor, 1, now() FROM accounts a`);
  await db.$executeRawUnsafe('ANALYZE');
  log(`book of ${cases.toLocaleString('en')} open cases written in ${((performance.now() - began) / 1000).toFixed(1)}s; debtors in ${timeZone}`);

  if (args.includes('--explain')) {
    // The plan of one queue candidate query (the pass after "calls due"), as the first collector would run it.
    const user = await db.user.findFirstOrThrow({ where: { email: 'collector0@bench.example' } });
    const now = new Date();
    const eligible = eligibleFor({ kind: 'user', id: user.id, role: 'collector', branchId: branch.id, name: user.name }, now);
    const plan = await db.$queryRaw<Array<{ 'QUERY PLAN': string }>>`EXPLAIN (ANALYZE, BUFFERS)
      SELECT a.id, a.call_due_at FROM accounts a
      WHERE ${eligible} AND ${filterSql({}, now)} ORDER BY ${orderingSql(defaultOrdering.slice(1), now)}, a.id LIMIT 1 FOR UPDATE OF a SKIP LOCKED`;
    for (const row of plan) console.log(row['QUERY PLAN']);
  }

  const config = loadConfig({ ...process.env, DATABASE_URL: pg.url, REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '100000000', LOGIN_RATE_LIMIT_PER_15_MIN: '100000' });
  const apiRedis = new Redis(redis.url);
  const noWorkflows = new Proxy({}, { get: () => () => Promise.reject(new Error('no workflows in the serving benchmark')) }) as CaseWorkflows;
  const app = createApp({ config, db, redis: apiRedis, logger: createLogger('bench-api', 'warn'), workflows: noWorkflows, temporalHealthy: async () => true });
  const server = app.listen(apiPort, '127.0.0.1');
  const base = `http://127.0.0.1:${apiPort}/api/v1`;

  const sessions = await Promise.all(
    Array.from({ length: collectors }, async (_, k) => {
      const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `collector${k}@bench.example`, password }) });
      if (!res.ok) throw new Error(`login failed: ${res.status}`);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrfToken, userId: k };
    }),
  );
  log(`${collectors} collectors signed in; two phases of ${seconds}s each`);

  const servedTo = new Map<string, number>();
  let doubles = 0;
  /** Every collector in a loop: next, keep the lease while on the call (`thinkMs`), log the outcome, finish. */
  async function phase(name: string, thinkMs: number) {
    const latencies: number[] = [];
    let served = 0;
    let empty = 0;
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      sessions.map(async (s, k) => {
        const headers = { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' };
        if (thinkMs) await sleep((thinkMs * k) / sessions.length); // collectors do not all start on the same millisecond
        while (performance.now() < deadline) {
          const t0 = performance.now();
          const res = await fetch(`${base}/work/next`, { method: 'POST', headers });
          const body = (await res.json()) as { account: { id: string } | null };
          latencies.push(performance.now() - t0);
          if (!res.ok) {
            errors++;
            continue;
          }
          if (!body.account) {
            empty++;
            continue;
          }
          served++;
          if (servedTo.has(body.account.id)) doubles++;
          servedTo.set(body.account.id, s.userId);
          if (thinkMs) await sleep(thinkMs);
          const renewed = await fetch(`${base}/accounts/${body.account.id}/lease`, { method: 'POST', headers });
          if (!renewed.ok) errors++;
          await db.activity.create({ data: { accountId: body.account.id, kind: 'call', direction: 'outbound', outcome: 'no_answer', summary: 'Called: no answer' } });
          const finished = await fetch(`${base}/accounts/${body.account.id}/lease`, { method: 'DELETE', headers });
          if (finished.status !== 204) errors++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
    log(`${name}: served ${served.toLocaleString('en')} accounts in ${elapsed.toFixed(1)}s = ${(served / elapsed).toFixed(1)} accounts/s (${(latencies.length / elapsed).toFixed(1)} next/s); empty answers ${empty}; errors ${errors}`);
    log(`${name}: next-account latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms over ${latencies.length.toLocaleString('en')} requests`);
  }
  // Paced: each collector spends `think` ms on the account (a real call takes minutes; this is still
  // tens of times a real team's pace). Saturated: no time on the call at all, as fast as the machine goes.
  await phase(`paced (${thinkMs} ms per account)`, thinkMs);
  await phase('saturated (no time on the call)', 0);
  server.close();

  // Doubles as the database saw them: an account with more than one stretch of work in the run.
  const twice = await db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM (SELECT account_id FROM work_log GROUP BY account_id HAVING count(*) > 1) t`;
  const peakMb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
  log(`double-served accounts: ${doubles} seen by the collectors, ${Number(twice[0]!.n)} in the work log (accounts worked twice)`);
  log(`API process peak memory (RSS high-water mark, bench clients included): ${peakMb.toFixed(0)} MiB`);
  await apiRedis.quit();
  await db.$disconnect();
} finally {
  await pg.stop();
  await stopChildren();
}

/** A fixed-offset zone where it is mid-day now, so that contact hours allow every call in the run. */
function middayZone(now = new Date()): string {
  for (let offset = -12; offset <= 14; offset++) {
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now));
    if (hour >= 10 && hour <= 15) return zone;
  }
  throw new Error('no zone has mid-day now');
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
