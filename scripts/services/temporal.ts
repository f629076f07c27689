// Temporal: TEMPORAL_ADDRESS when given, else the CLI's dev server (SQLite persistence, Web UI)
// with its database under the profile's data folder. The CLI binary is found in this order:
// TEMPORAL_CLI_PATH, `temporal` on PATH, our tools cache, the SDK's own download (where the
// internet is reachable), and last a build from the Go module proxy (cached for next time).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { toolsBinDir } from './paths.ts';
import { isPortOpen, spawnService, waitForPort } from './process.ts';

export const temporalCliVersion = 'v1.5.1';

export interface TemporalHandle {
  address: string;
  uiUrl: string | null;
}

function works(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function findOrBuildTemporalCli(log: (line: string) => void): Promise<string> {
  const candidates = [process.env.TEMPORAL_CLI_PATH, onPath('temporal'), path.join(toolsBinDir, 'temporal')];
  for (const candidate of candidates) if (candidate && existsSync(candidate) && works(candidate)) return candidate;

  const downloaded = await trySdkDownload(log);
  if (downloaded) return downloaded;

  if (!onPath('go')) throw new Error('No Temporal CLI found and Go is not installed to build it. Install the Temporal CLI (https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to an existing cluster.');
  log(`building the Temporal CLI ${temporalCliVersion} from the Go module proxy (first run only; a few minutes)…`);
  mkdirSync(toolsBinDir, { recursive: true });
  const built = spawnSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${temporalCliVersion}`], {
    env: { ...process.env, GOBIN: toolsBinDir, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const binary = path.join(toolsBinDir, 'temporal');
  if (built.status !== 0 || !works(binary)) throw new Error('building the Temporal CLI failed (see the output above)');
  return binary;
}

/** The SDK's ephemeral-server download, tried quickly; offline it fails and we fall back to building. */
async function trySdkDownload(log: (line: string) => void): Promise<string | null> {
  if (process.env.ARREARS_OFFLINE === '1') return null;
  try {
    const online = await fetch('https://temporal.download/', { method: 'HEAD', signal: AbortSignal.timeout(3000) }).then(
      () => true,
      () => false,
    );
    if (!online) return null;
    log('downloading the Temporal CLI through the SDK…');
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: path.join(toolsBinDir, 'sdk-download') } } });
    await env.teardown();
    const found = execFileSync('sh', ['-c', `ls -1 ${JSON.stringify(path.join(toolsBinDir, 'sdk-download'))}/*/temporal* 2>/dev/null | head -1`]).toString().trim();
    return found && works(found) ? found : null;
  } catch {
    return null;
  }
}

function onPath(command: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`]).toString().trim() || null;
  } catch {
    return null;
  }
}

export async function startTemporal(dataDir: string, port: number, uiPort: number, log: (line: string) => void): Promise<TemporalHandle> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS, uiUrl: process.env.TEMPORAL_UI_URL ?? null };
  const binary = await findOrBuildTemporalCli(log);
  if (await isPortOpen(port)) throw new Error(`port ${port} is taken: is another copy running? (set ARREARS_TEMPORAL_PORT or TEMPORAL_ADDRESS)`);
  mkdirSync(dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--db-filename', path.join(dataDir, 'temporal.sqlite'),
    '--namespace', 'default',
    '--log-level', 'warn',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    '--dynamic-config-value', 'frontend.workerVersioningDataAPIs=true',
    '--dynamic-config-value', 'system.enableEagerWorkflowStart=true',
  ];
  args.push(...(uiPort === 0 ? ['--headless'] : ['--ui-port', String(uiPort)]));
  const child = spawnService('temporal', binary, args, { logFile: path.join(dataDir, 'temporal.log') });
  await waitForPort(port, 'Temporal dev server', 60_000, child);
  return { address: `127.0.0.1:${port}`, uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : null };
}
