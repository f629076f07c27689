// The API (and UI) server process. One port serves /api/v1, the docs, the queue board, health and
// metrics, and the SvelteKit UI, so the browser talks to a single origin.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import type { RequestHandler } from 'express';
import { loadConfig } from '../platform/config.ts';
import { createDb } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { connectTemporalClient } from '../platform/temporal.ts';
import { temporalCaseWorkflows } from '../services/case-workflows.ts';
import { createApp } from './app.ts';
import { closeAllBoardStreams } from './team-board-stream.ts';
import { createQueueBoard } from './queue-board.ts';
import { createMessageQueues } from '../platform/messaging/queues.ts';
import { createImportQueue } from '../platform/imports/queue.ts';
import { httpCardProcessor } from '../platform/payments/card-processor.ts';
import { createSandboxProcessor, loadOrCreateSandboxKey } from '../platform/payments/sandbox-processor.ts';

const config = loadConfig();
const logger = createLogger('api', config.LOG_LEVEL);
const db = createDb(config.DATABASE_URL);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
const temporal = await connectTemporalClient(config);
const board = createQueueBoard(config.REDIS_URL);
const queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const queues = createMessageQueues(queueConnection);
const importQueue = createImportQueue(queueConnection);

const uiDir = path.resolve(config.UI_BUILD_DIR ?? path.join(import.meta.dirname, '..', 'ui', 'build'));
let uiHandler: RequestHandler | undefined;
if (existsSync(path.join(uiDir, 'handler.js'))) {
  uiHandler = (await import(pathToFileURL(path.join(uiDir, 'handler.js')).href)).handler as RequestHandler;
} else {
  logger.warn({ uiDir }, 'UI build not found: serving the API only (run npm run ui:build)');
}

// The embedded card processor (F9): a sandbox served on this port, reached over HTTP like any processor.
const sandbox =
  config.CARD_PROCESSOR === 'sandbox' && !config.CARD_PROCESSOR_URL
    ? createSandboxProcessor({ secretKey: config.CARD_PROCESSOR_SECRET_KEY, privateKey: loadOrCreateSandboxKey(config.CARD_SANDBOX_KEY_FILE ?? path.join(process.env.ARREARS_DATA_DIR ?? path.join(import.meta.dirname, '..', '.data'), 'card-sandbox-key.pem')) })
    : null;
const cardProcessor =
  config.CARD_PROCESSOR === 'none' ? null : httpCardProcessor({ baseUrl: config.CARD_PROCESSOR_URL ?? `http://127.0.0.1:${config.PORT}/sandbox/card-processor`, secretKey: config.CARD_PROCESSOR_SECRET_KEY, name: 'sandbox' });

const app = createApp(
  {
    config,
    db,
    redis,
    logger,
    workflows: temporalCaseWorkflows(temporal, config.TEMPORAL_TASK_QUEUE),
    temporalHealthy: () => temporal.connection.workflowService.getSystemInfo({}).then(() => true),
    queueBoard: board.router,
    queues,
    importQueue,
    cardProcessor,
    extraRoutes: sandbox ? [{ path: '/sandbox/card-processor', router: sandbox.router }] : [],
  },
  { uiHandler },
);

const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, 'api listening'));

const shutdown = (signal: string) => {
  logger.info({ signal }, 'api shutting down');
  closeAllBoardStreams(); // open event streams would keep server.close waiting
  server.close(async () => {
    await Promise.allSettled([db.$disconnect(), redis.quit(), temporal.connection.close(), board.close(), Promise.all([queues.close(), importQueue.close()]).then(() => queueConnection.quit())]);
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 10_000).unref();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
