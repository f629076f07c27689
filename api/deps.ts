// What the API needs from the outside world, handed in at start-up (and by tests).
import type { Redis } from 'ioredis';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import type { CaseWorkflows } from '../services/case-workflows.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import type { Queue } from 'bullmq';
import type { ImportJob } from '../platform/imports/queue.ts';
import type { CardProcessor } from '../platform/payments/card-processor.ts';
import type { TravelMatrixProvider } from '../platform/routing/travel-matrix.ts';

export interface ApiDeps {
  config: Config;
  db: Db;
  redis: Redis;
  logger: Logger;
  workflows: CaseWorkflows;
  /** Readiness probe of the Temporal connection. */
  temporalHealthy: () => Promise<boolean>;
  /** Producer side of the delivery queues (webhook replays). */
  queues?: MessageQueues;
  /** Where uploaded delinquency files are queued for the worker (importDelinquencies). */
  importQueue?: Queue<ImportJob>;
  /** The merchant's card processor for field card payments (F9); absent: cards wait on the phones. */
  cardProcessor?: CardProcessor | null;
  /** Travel times for route planning; by default from the environment (ROUTING_OSRM_URL, else great-circle). */
  travelMatrix?: TravelMatrixProvider;
  /** Routers mounted before the API's authentication (the card processor's sandbox). */
  extraRoutes?: Array<{ path: string; router: import('express').Router }>;
  /** Extra routers mounted by the server (bull-board); absent in most tests. */
  queueBoard?: import('express').Router;
}
