// The embedded default provider for every channel (and the only one for letters): nothing leaves
// the machine. "Delivering" to the outbox means the processor marks the Message row sent with
// provider `outbox` and the id below; people read those rows on the UI's Outbox page
// (GET /api/v1/messages), and a print run picks letters up from there.
import { randomUUID } from 'node:crypto';
import type { MessageProvider } from './types.ts';

export class OutboxProvider implements MessageProvider {
  readonly name = 'outbox';

  async send(): Promise<{ providerMessageId: string }> {
    return { providerMessageId: `outbox-${randomUUID()}` };
  }
}
