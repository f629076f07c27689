// Strategy performance benchmark (S6): how long the analysis of one segment takes, and the memory it
// needs, over a large book: by default 100,000 cases split 80/20 between a champion and a
// challenger, 60 % closed, each with a payment or two (some outside the case's dates, which must not
// count) and a promise on one case in four.
//
//   npm run bench:performance                        # 100,000 cases, 10 runs per scope
//   npm run bench:performance -- --cases 20000 --runs 5
//
// It needs no running system: it starts its own PostgreSQL on a free port (data in
// $ARREARS_DATA_DIR/bench-performance, wiped first) and calls the service in-process, as the API
// route does: once for head office (every branch) and once for one branch's supervisor.
// Prints latency percentiles per scope, the process's heap growth and peak RSS, and the figures.
import { rmSync, mkdirSync } from 'node:fs';
import { dataDirFor } from '../scripts/services/paths.ts';
import { startPostgres } from '../scripts/services/postgres.ts';
import { freePort } from '../scripts/services/process.ts';
import { migrate } from '../scripts/db/migrate.ts';
import { createDb } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { strategyPerformance } from '../services/strategy-performance.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const cases = option('cases', 100_000);
const runs = option('runs', 10);
const log = (line: string) => console.log(`[bench] ${line}`);
const dataDir = dataDirFor('bench-performance');

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
delete process.env.DATABASE_URL;

const pg = await startPostgres(dataDir, await freePort(), 'arrears_bench');
try {
  await migrate(pg.url);
  const db = createDb(pg.url, { max: 10 });
  const [east, west] = await Promise.all(['EAST', 'WEST'].map((code) => db.branch.create({ data: { code, name: `${code} CSC`, timeZone: 'America/New_York' } })));
  const segment = await db.segment.create({ data: { code: 'BENCH', name: 'Bench segment', criteria: {}, priority: 1 } });
  const definition = { steps: [{ id: 'n', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'note', text: 'x' } }] };
  const champion = await db.strategy.create({ data: { segmentId: segment.id, version: 1, name: 'Champion', status: 'active', trafficPercent: 80, definition } });
  const challenger = await db.strategy.create({ data: { segmentId: segment.id, version: 2, name: 'Challenger', status: 'active', trafficPercent: 20, definition } });

  // The book, set-based: arms, outcomes and amounts from hashtext of each account's ref (the same every
  // run); which cases get an earlier payment or a promise hashes their random ids, so those counts vary a little.
  const began = performance.now();
  await db.$executeRawUnsafe(`
    INSERT INTO customers (id, external_ref, type, name, time_zone, branch_id, updated_at)
    SELECT gen_random_uuid(), 'CUST-' || n, 'retail', 'Debtor ' || n, 'America/New_York', CASE WHEN n % 2 = 0 THEN '${east!.id}'::uuid ELSE '${west!.id}'::uuid END, now()
    FROM generate_series(1, ${cases}) n`);
  await db.$executeRawUnsafe(`
    INSERT INTO accounts (id, external_ref, customer_id, branch_id, segment_id, currency, status, balance_minor, updated_at)
    SELECT gen_random_uuid(), 'ACC-' || substr(c.external_ref, 6), c.id, c.branch_id, '${segment.id}', 'USD', 'delinquent', 0, now() FROM customers c`);
  await db.$executeRawUnsafe(`
    INSERT INTO collection_cases (id, account_id, episode, workflow_id, strategy_id, status, stage, close_reason, opened_at, closed_at, balance_at_open, days_past_due_at_open, updated_at)
    SELECT gen_random_uuid(), a.id, 1, 'bench/' || a.id,
           CASE WHEN abs(hashtext(a.external_ref)) % 100 < 80 THEN '${champion.id}'::uuid ELSE '${challenger.id}'::uuid END,
           (CASE WHEN abs(hashtext(a.external_ref || 's')) % 10 < 6 THEN 'closed' ELSE 'open' END)::"CaseStatus",
           (CASE WHEN abs(hashtext(a.external_ref || 's')) % 10 < 6 THEN 'closed' ELSE 'soft' END)::"CaseStage",
           (CASE WHEN abs(hashtext(a.external_ref || 's')) % 10 < 4 THEN 'paid' WHEN abs(hashtext(a.external_ref || 's')) % 10 < 6 THEN 'written_off' END)::"CaseCloseReason",
           now() - interval '120 days',
           CASE WHEN abs(hashtext(a.external_ref || 's')) % 10 < 6 THEN now() - interval '120 days' + (abs(hashtext(a.external_ref || 'd')) % 90 + 1) * interval '1 day' END,
           10000 + abs(hashtext(a.external_ref || 'b')) % 90000, 1, now()
    FROM accounts a`);
  // A payment during the case (all of it when paid), and on one account in three one from before it opened.
  await db.$executeRawUnsafe(`
    INSERT INTO payments (id, account_id, external_ref, amount_minor, currency, method, source, received_at)
    SELECT gen_random_uuid(), c.account_id, 'P-' || c.id, CASE WHEN c.close_reason = 'paid' THEN c.balance_at_open ELSE c.balance_at_open / 3 END, 'USD', 'card', 'billing',
           COALESCE(c.closed_at, c.opened_at + interval '10 days')
    FROM collection_cases c`);
  await db.$executeRawUnsafe(`
    INSERT INTO payments (id, account_id, external_ref, amount_minor, currency, method, source, received_at)
    SELECT gen_random_uuid(), c.account_id, 'OLD-' || c.id, 5000, 'USD', 'cheque', 'billing', c.opened_at - interval '30 days'
    FROM collection_cases c WHERE abs(hashtext(c.id::text)) % 3 = 0`);
  await db.$executeRawUnsafe(`
    INSERT INTO promises_to_pay (id, account_id, case_id, amount_minor, currency, due_date, status)
    SELECT gen_random_uuid(), c.account_id, c.id, c.balance_at_open, 'USD', current_date,
           (CASE WHEN c.close_reason = 'paid' THEN 'kept' WHEN c.status = 'closed' THEN 'broken' ELSE 'pending' END)::"PromiseStatus"
    FROM collection_cases c WHERE abs(hashtext(c.id::text || 'p')) % 4 = 0`);
  await db.$executeRawUnsafe('ANALYZE');
  const counts = await db.$queryRawUnsafe<Array<{ cases: bigint; payments: bigint; promises: bigint }>>('SELECT (SELECT count(*) FROM collection_cases) AS cases, (SELECT count(*) FROM payments) AS payments, (SELECT count(*) FROM promises_to_pay) AS promises');
  log(`book written in ${((performance.now() - began) / 1000).toFixed(1)}s: ${counts[0]!.cases} cases, ${counts[0]!.payments} payments, ${counts[0]!.promises} promises`);

  const scopes: Array<[string, Principal]> = [
    ['head office', { type: 'user', id: '00000000-0000-4000-8000-000000000001', role: 'supervisor', branchId: null, name: 'Head office' } as unknown as Principal],
    ['one branch', { type: 'user', id: '00000000-0000-4000-8000-000000000002', role: 'supervisor', branchId: east!.id, name: 'East' } as unknown as Principal],
  ];
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  for (const [name, principal] of scopes) {
    await strategyPerformance(db, principal, segment.id); // warm-up (connections, plans)
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const latencies: number[] = [];
    let report: Awaited<ReturnType<typeof strategyPerformance>> | null = null;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      report = await strategyPerformance(db, principal, segment.id);
      latencies.push(performance.now() - started);
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    latencies.sort((a, b) => a - b);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    log(`${name.padEnd(12)} p50 ${percentile(latencies, 50).toFixed(0)} ms   p95 ${percentile(latencies, 95).toFixed(0)} ms   max ${latencies.at(-1)!.toFixed(0)} ms   heap growth up to ${mb(heapPeak - heapBefore)}`);
    for (const arm of report!.arms) log(`  v${arm.strategy.version}: ${arm.cases} cases, ${arm.paid} paid, share ${arm.paidShare}, recovery ${arm.recoveryRate}, median days ${arm.medianDaysToPay}, promises ${arm.promises.made}/${arm.promises.kept}/${arm.promises.broken}, verdict ${arm.comparison?.verdict ?? '-'}`);
  }
  clearInterval(sampler);
  log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  await db.$disconnect();
} finally {
  await pg.stop();
}
