// Placeholder wiring for the BullMQ message processors (filled in with platform/messaging).
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';

export async function startMessaging(_config: Config, _db: Db, _logger: Logger): Promise<{ close(): Promise<void> }> {
  return { close: async () => {} };
}
