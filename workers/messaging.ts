// Wires outbound messaging into the worker process: the queues (activities enqueue into them) and
// the BullMQ processors that deliver through the configured providers.
import { Redis } from 'ioredis';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import { startMessageWorkers } from '../platform/messaging/processor.ts';
import type { UndeliverableHandler } from '../platform/messaging/deliver.ts';
import { providersFromConfig, senderFor } from '../platform/messaging/providers.ts';
import { createMessageQueues, type MessageQueues } from '../platform/messaging/queues.ts';
import type { Senders } from '../services/case-notices.ts';

export interface Messaging {
  queues: MessageQueues;
  senders: Senders;
  close(): Promise<void>;
}

export async function startMessaging(config: Config, db: Db, logger: Logger, onUndeliverable?: UndeliverableHandler): Promise<Messaging> {
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createMessageQueues(connection);
  const workers = startMessageWorkers({
    connection,
    db,
    logger,
    providers: providersFromConfig(config),
    ratePerSecond: { email: config.EMAIL_RATE_PER_SECOND, sms: config.SMS_RATE_PER_SECOND, letter: config.LETTER_RATE_PER_SECOND },
    webhookSigningSecret: config.WEBHOOK_SIGNING_SECRET,
    onUndeliverable,
  });
  return {
    queues,
    senders: { email: senderFor(config, 'email'), sms: senderFor(config, 'sms'), creditorName: config.COMPANY_NAME },
    close: async () => {
      await workers.close();
      await queues.close();
      await connection.quit();
    },
  };
}
