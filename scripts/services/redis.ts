// Redis: REDIS_URL when given, else a local redis-server (from Debian's package, installed by
// scripts/ensure-tools.sh where missing) with its data under the profile's data folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isPortOpen, spawnService, waitForPort } from './process.ts';

export function findRedisServer(): string | null {
  for (const candidate of [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server']).toString().trim() || null;
  } catch {
    return null;
  }
}

export async function startRedis(dataDir: string, port: number): Promise<{ url: string }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL };
  const binary = findRedisServer();
  if (!binary) {
    throw new Error('redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis.');
  }
  if (await isPortOpen(port)) throw new Error(`port ${port} is taken: is another copy running? (set ARREARS_REDIS_PORT or REDIS_URL)`);
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawnService('redis', binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--protected-mode', 'yes'], {
    logFile: path.join(dataDir, 'redis.log'),
  });
  await waitForPort(port, 'redis-server', 20_000, child);
  return { url: `redis://127.0.0.1:${port}` };
}
