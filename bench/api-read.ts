// Read-path benchmark against a running system (./arrears start): the accounts bucket (list with
// filters and sorting) and the account page, at a fixed concurrency for a fixed time.
// Prints requests/second and latency percentiles. Usage:
//   RATE_LIMIT_PER_MINUTE=10000000 ./arrears start   (in another terminal)
//   npm run bench:api -- [baseUrl=http://localhost:3000] [seconds=10] [concurrency=8]
const [baseUrl = 'http://localhost:3000', secondsArg = '10', concurrencyArg = '8'] = process.argv.slice(2);
const seconds = Number(secondsArg);
const concurrency = Number(concurrencyArg);

const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'supervisor@example.com', password: 'demo-password' }) });
if (!login.ok) throw new Error(`login failed: ${login.status}`);
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const get = (path: string) => fetch(`${baseUrl}${path}`, { headers: { cookie } });

const first = (await (await get('/api/v1/accounts?pageSize=100')).json()) as { items: Array<{ id: string }>; total: number };
const ids = first.items.map((a) => a.id);

const scenarios: Record<string, (i: number) => string> = {
  'list: worst ageing first': () => '/api/v1/accounts?sort=daysPastDue&order=desc&pageSize=25',
  'list: filter + search': (i) => `/api/v1/accounts?status=delinquent&minDaysPastDue=31&maxDaysPastDue=90&q=${['smith', 'acme', 'ACC-1002', 'lee'][i % 4]}&sort=balance`,
  'account page': (i) => `/api/v1/accounts/${ids[i % ids.length]}`,
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

console.log(`API read benchmark: ${baseUrl}, ${first.total} accounts, ${concurrency} concurrent clients, ${seconds}s per scenario`);
for (const [name, path] of Object.entries(scenarios)) {
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const res = await get(path(counter++));
        await res.arrayBuffer();
        if (res.status === 429) throw new Error('rate limited: start the system with RATE_LIMIT_PER_MINUTE=10000000 for benchmarking');
        if (!res.ok) errors++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  console.log(`${name.padEnd(28)} ${String(Math.round(latencies.length / seconds)).padStart(6)} req/s   p50 ${fmt(percentile(latencies, 50))} ms   p95 ${fmt(percentile(latencies, 95))} ms   p99 ${fmt(percentile(latencies, 99))} ms   errors ${errors}`);
}
