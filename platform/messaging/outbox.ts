// The embedded default provider: a message is "delivered" to the local outbox, the Message row
// itself, which people read on the UI's Outbox page. Nothing leaves the machine.
import { randomUUID } from 'node:crypto';
import type { MessageProvider } from './provider.ts';

export class OutboxProvider implements MessageProvider {
  readonly name = 'outbox';
  async send(): Promise<{ providerMessageId: string }> {
    return { providerMessageId: `outbox-${randomUUID()}` };
  }
}
