// Where the embedded services keep their data and where built tools are cached.
// Data lives under one folder (ARREARS_DATA_DIR, default ./.data); tools are cached per user
// (ARREARS_CACHE, default ~/.cache/arrears) so that a fresh clone on the same machine reuses them.
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = process.env.ARREARS_CACHE ?? path.join(homedir(), '.cache', 'arrears');
export const toolsBinDir = path.join(cacheDir, 'tools', 'bin');

export function dataDirFor(profile: string): string {
  const base = process.env.ARREARS_DATA_DIR ?? path.join(repoRoot, '.data');
  return path.join(base, profile);
}
