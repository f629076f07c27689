// The retention job's work (X1): find customers whose collection record is past retention
// (domain/retention.ts) and pseudonymise their personal data, one audited transaction per customer.
// Amounts, dates, references, outcomes and the audit chain stay as they are: the audit table is
// append-only and hash-chained, so it is never rewritten; the pseudonymisation is itself recorded in it.
// An erasure request (services/data-requests.ts) pseudonymises through the same function.
import type { Db, Prisma } from '../platform/db/client.ts';
import { erasedText, pseudonymFor, retentionDecision, retentionEndsAt, type RetentionFacts } from '../domain/retention.ts';
import { recordAudit, auditedTransaction, type Actor, systemActor } from './audit.ts';

/** The facts of one customer's record, read in the transaction that may act on them. */
export async function retentionFactsOf(tx: Prisma.TransactionClient, customerId: string): Promise<RetentionFacts> {
  const [row] = await tx.$queryRaw<Array<{ pseudonymised_at: Date | null; open_cases: bigint; last_record_at: Date }>>`
    select c.pseudonymised_at,
           (select count(*) from collection_cases k join accounts a on a.id = k.account_id where a.customer_id = c.id and k.status = 'open') as open_cases,
           greatest(c.created_at, c.updated_at,
             (select max(k.closed_at) from collection_cases k join accounts a on a.id = k.account_id where a.customer_id = c.id),
             (select max(x.occurred_at) from activities x join accounts a on a.id = x.account_id where a.customer_id = c.id),
             (select max(m.created_at) from messages m join accounts a on a.id = m.account_id where a.customer_id = c.id),
             (select max(p.received_at) from payments p join accounts a on a.id = p.account_id where a.customer_id = c.id),
             (select max(i.created_at) from invoices i join accounts a on a.id = i.account_id where a.customer_id = c.id),
             (select max(v.arrived_at) from field_visits v join accounts a on a.id = v.account_id where a.customer_id = c.id)) as last_record_at
    from customers c where c.id = ${customerId}::uuid`;
  if (!row) throw new Error(`no customer ${customerId}`);
  return { hasOpenCase: row.open_cases > 0n, lastRecordAt: row.last_record_at, pseudonymisedAt: row.pseudonymised_at };
}

/**
 * Customers that may be past retention: no open case and nothing recorded since `cutoff`. A first
 * sieve in SQL; each is decided again, under lock, by the domain rule before anything changes.
 */
export async function candidatesPastRetention(db: Db, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    select c.id from customers c
    where c.pseudonymised_at is null
      and not exists (select 1 from collection_cases k join accounts a on a.id = k.account_id where a.customer_id = c.id and k.status = 'open')
      and greatest(c.created_at, c.updated_at,
            (select max(k.closed_at) from collection_cases k join accounts a on a.id = k.account_id where a.customer_id = c.id),
            (select max(x.occurred_at) from activities x join accounts a on a.id = x.account_id where a.customer_id = c.id),
            (select max(m.created_at) from messages m join accounts a on a.id = m.account_id where a.customer_id = c.id),
            (select max(p.received_at) from payments p join accounts a on a.id = p.account_id where a.customer_id = c.id),
            (select max(i.created_at) from invoices i join accounts a on a.id = i.account_id where a.customer_id = c.id),
            (select max(v.arrived_at) from field_visits v join accounts a on a.id = v.account_id where a.customer_id = c.id)) < ${cutoff}
    order by c.created_at
    limit ${limit}`;
  return rows.map((r) => r.id);
}

export type PseudonymisationReason = { kind: 'retention'; retentionYears: number } | { kind: 'erasure_request'; requestId: string };

export interface PseudonymisationCounts {
  contacts: number;
  messages: number;
  activities: number;
  tasks: number;
  fieldVisits: number;
  dataRequests: number;
}

/**
 * Replaces the customer's personal data in every table that holds it (see `pseudonymisedData` in
 * domain/retention.ts), inside the caller's audited transaction, and records it in the audit trail
 * without repeating any of it. The customer row is locked first, so two runs cannot interleave.
 */
export async function pseudonymiseCustomer(tx: Prisma.TransactionClient, actor: Actor, customerId: string, reason: PseudonymisationReason, now: Date): Promise<PseudonymisationCounts> {
  await tx.$queryRaw`select id from customers where id = ${customerId}::uuid for update`;
  const accounts = (await tx.account.findMany({ where: { customerId }, select: { id: true } })).map((a) => a.id);
  await tx.customer.update({ where: { id: customerId }, data: { name: pseudonymFor(customerId), attorneyDetails: null, pseudonymisedAt: now } });
  const contacts = await tx.$executeRaw`update contacts set value = 'erased-' || left(id::text, 8), label = '' where customer_id = ${customerId}::uuid`;
  const onAccounts = { accountId: { in: accounts } };
  const outbound = await tx.message.updateMany({ where: { ...onAccounts, direction: 'outbound' }, data: { toAddress: erasedText, body: erasedText } });
  const inbound = await tx.message.updateMany({ where: { ...onAccounts, direction: 'inbound' }, data: { fromAddress: erasedText, body: erasedText } });
  await tx.message.updateMany({ where: { ...onAccounts, subject: { not: null } }, data: { subject: erasedText } });
  // Entries people or messages wrote; payments, promises and status changes are the system's own words about amounts.
  const activities = await tx.activity.updateMany({ where: { ...onAccounts, kind: { in: ['note', 'email', 'sms', 'letter', 'call', 'visit'] } }, data: { summary: erasedText } });
  const tasks = await tx.task.updateMany({ where: onAccounts, data: { title: erasedText } });
  // Where the customer lives and what the field rep wrote and had signed there.
  await tx.account.updateMany({ where: { id: { in: accounts } }, data: { serviceAddress: null, latitude: null, longitude: null } });
  const fieldVisits = await tx.fieldVisit.updateMany({ where: onAccounts, data: { notes: erasedText, summary: erasedText, signaturePng: null, signedByName: null, latitude: null, longitude: null, accuracyM: null, conflictNote: null } });
  const dataRequests = await tx.dataSubjectRequest.updateMany({ where: { customerId }, data: { details: erasedText } });
  await tx.dataSubjectRequest.updateMany({ where: { customerId, kind: 'access', status: 'completed' }, data: { result: { erased: true } } });
  const counts = { contacts, messages: outbound.count + inbound.count, activities: activities.count, tasks: tasks.count, fieldVisits: fieldVisits.count, dataRequests: dataRequests.count };
  for (const accountId of accounts.length ? accounts : [null]) {
    await recordAudit(tx, actor, { action: 'customer.pseudonymised', entityType: 'customer', entityId: customerId, accountId, after: { reason, counts, at: now } });
  }
  return counts;
}

export interface RetentionRun {
  retentionYears: number;
  examined: number;
  pseudonymised: string[];
}

/** One pass of the retention job: every customer past retention, in batches, each in its own transaction. */
export async function runRetention(db: Db, options: { retentionYears: number; now?: Date; batchSize?: number }): Promise<RetentionRun> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 200;
  // The sieve's cutoff: anything recorded after it is within retention for certain.
  const cutoff = new Date(now.getTime() - (retentionEndsAt(now, options.retentionYears).getTime() - now.getTime()));
  const run: RetentionRun = { retentionYears: options.retentionYears, examined: 0, pseudonymised: [] };
  const skipped = new Set<string>();
  for (;;) {
    const batch = (await candidatesPastRetention(db, cutoff, batchSize + skipped.size)).filter((id) => !skipped.has(id));
    if (batch.length === 0) return run;
    for (const customerId of batch) {
      run.examined += 1;
      const done = await auditedTransaction(db, async (tx) => {
        if (retentionDecision(await retentionFactsOf(tx, customerId), options.retentionYears, now).kind !== 'pseudonymise') return false;
        await pseudonymiseCustomer(tx, systemActor, customerId, { kind: 'retention', retentionYears: options.retentionYears }, now);
        return true;
      });
      if (done) run.pseudonymised.push(customerId);
      else skipped.add(customerId);
    }
  }
}
