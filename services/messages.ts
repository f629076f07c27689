// Queuing an outbound message: the row is written once per idempotency key (a retried activity or
// a double click queues nothing new), the opt-out notice is added (X1), and delivery is enqueued.
import type { Db } from '../platform/db/client.ts';
import { Prisma } from '../platform/db/client.ts';
import { withOptOutNotice, type Channel } from '../domain/contact-policy.ts';
import { enqueueDelivery, type MessageQueues } from '../platform/messaging/queues.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import type { CaseWorkflows } from './case-workflows.ts';

export interface NewMessage {
  idempotencyKey: string;
  channel: Channel;
  to: string;
  from: string;
  subject?: string | null;
  body: string;
  accountId?: string | null;
  caseId?: string | null;
  /** Not delivered before this instant (contact hours in the debtor's time zone, X1). */
  notBefore?: Date | null;
}

export async function queueMessage(db: Db, queues: MessageQueues, actor: Actor, input: NewMessage): Promise<{ messageId: string; created: boolean }> {
  let messageId: string;
  let created = true;
  try {
    messageId = await auditedTransaction(db, async (tx) => {
      const message = await tx.message.create({
        data: {
          idempotencyKey: input.idempotencyKey,
          channel: input.channel,
          toAddress: input.to,
          fromAddress: input.from,
          subject: input.subject ?? null,
          body: withOptOutNotice(input.channel, input.body),
          accountId: input.accountId ?? null,
          caseId: input.caseId ?? null,
        },
      });
      await recordAudit(tx, actor, { action: 'message.queued', entityType: 'message', entityId: message.id, accountId: message.accountId, after: { channel: message.channel, to: message.toAddress, subject: message.subject } });
      return message.id;
    });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
    const existing = await db.message.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
    messageId = existing.id;
    created = false;
  }
  // Enqueued on a repeat too: if the first enqueue was lost, this one delivers; if not, the job ID dedupes.
  await enqueueDelivery(queues, messageId, input.channel, input.notBefore ?? undefined);
  return { messageId, created };
}

/** An undeliverable message is a failed contact for its open case (once per message; the case dedupes repeats). */
export async function reportContactFailure(db: Db, workflows: Pick<CaseWorkflows, 'notifyContactFailed'>, failure: { messageId: string; caseId: string | null; channel: Channel; reason: string }): Promise<boolean> {
  if (!failure.caseId) return false;
  const found = await db.collectionCase.findUnique({ where: { id: failure.caseId }, select: { workflowId: true, status: true } });
  if (!found || found.status !== 'open') return false;
  await workflows.notifyContactFailed(found.workflowId, { channel: failure.channel, reason: failure.reason.slice(0, 300), messageId: failure.messageId });
  return true;
}
