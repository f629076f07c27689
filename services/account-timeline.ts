// The account's one timeline (W7): everything done to or heard from the debtor, newest first, from
// the tables that record it. Each kind of event has one source, so nothing shows twice:
//   contact log (activities): calls and their outcomes, field-visit outcomes, notes, strategy steps,
//     status changes. Its rows that duplicate a richer source are left out: message, payment and
//     promise rows (their own tables carry status and amounts), contact-edit rows (the audit trail
//     carries before and after) and the note a dispute writes (the audit trail carries the invoices);
//   messages (outbound with delivery status, inbound); payments and their reversals; promises made
//   and resolved, with instalments; field-visit tasks scheduled and done; the audit trail for
//   disputes and contact edits.
// Paging is by cursor over (time, source, id), so a page boundary inside one millisecond neither
// repeats nor skips an event. Each source is read at most one page ahead, with its own index.
import type { Db, Prisma } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { requireAccountInScope } from './account-queries.ts';
import { contactEditOutcome } from './contacts.ts';
import { ServiceError } from './errors.ts';

export const timelineKinds = ['contact', 'field_visit', 'note', 'message', 'payment', 'promise', 'dispute', 'strategy_step', 'status_change', 'contact_change'] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export interface TimelineActor {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  name: string;
}

interface Money {
  amountMinor: string;
  currency: string;
}

export type TimelineDetail =
  | { kind: 'contact' | 'field_visit'; source: 'activity'; channel: string; direction: 'inbound' | 'outbound'; outcome: string | null }
  | { kind: 'field_visit'; source: 'task'; event: 'scheduled' | 'done' | 'cancelled'; taskId: string; title: string; status: string; dueAt: string; assigneeId: string | null }
  | { kind: 'note' | 'strategy_step' | 'status_change'; source: 'activity'; outcome: string | null }
  | { kind: 'strategy_step'; source: 'task'; event: 'reminder'; taskId: string; title: string; status: string; dueAt: string }
  | { kind: 'message'; messageId: string; channel: string; direction: 'inbound' | 'outbound'; status: string; to: string; from: string | null; subject: string | null; body: string; sentAt: string | null; lastError: string | null }
  | { kind: 'payment'; event: 'received' | 'reversed'; paymentId: string; amount: Money; method: string; source: string; externalRef: string; status: string; reversalReason: string | null }
  | { kind: 'promise'; event: 'made' | 'kept' | 'broken' | 'cancelled'; promiseId: string; amount: Money; dueDate: string; status: string; instalments: Array<{ seq: number; dueDate: string; amount: Money; status: string }> | null }
  | { kind: 'dispute'; event: 'opened' | 'upheld' | 'rejected'; invoices: string[]; note: string | null }
  | { kind: 'contact_change'; change: 'added' | 'updated' | 'removed' | 'marked_wrong_number' | 'opted_out'; contactId: string; before: unknown; after: unknown };

export interface TimelineEntry {
  /** Stable across pages: the source and the row (and event) it came from. */
  id: string;
  kind: TimelineKind;
  at: string;
  actor: TimelineActor;
  summary: string;
  detail: TimelineDetail;
}

export interface TimelineQuery {
  limit: number;
  cursor?: string | undefined;
  kinds?: TimelineKind[] | undefined;
}

interface Cursor {
  at: number;
  source: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.source, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [at, source, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    if (typeof at === 'number' && Number.isFinite(at) && typeof source === 'string' && typeof id === 'string' && sourceNames.includes(source)) return { at, source, id };
  } catch {
    // fall through
  }
  throw new ServiceError('validation_failed', 'the cursor is not one this timeline gave out', [{ path: 'query.cursor', message: 'pass the nextCursor of the previous page unchanged' }]);
}

/** A row of one source on its way to an entry: its time, its id for ordering, and how to describe it. */
interface Row {
  at: Date;
  source: string;
  /** Orders rows of one source within a millisecond (uuid text, or a zero-padded number). */
  sortId: string;
  /** The id the cursor carries back (the database id). */
  rowId: string;
  actorRef: { type: TimelineActor['type']; id: string | null } | { audit: string };
  summary: string;
  detail: TimelineDetail;
}

interface Source {
  name: string;
  kinds: readonly TimelineKind[];
  read(db: Db, accountId: string, window: TimeWindow, take: number, kinds: ReadonlySet<TimelineKind>): Promise<Row[]>;
}

/** The part of a source the page may still take, from the cursor (see `windowFor`). */
type TimeWindow = { before?: Date; atOrBefore?: Date; at?: Date; idBelow?: string } | null;

const iso = (d: Date) => d.toISOString();
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);
const money = (amountMinor: bigint, currency: string): Money => ({ amountMinor: amountMinor.toString(), currency });
const formatMoney = (m: Money) => new Intl.NumberFormat('en-US', { style: 'currency', currency: m.currency }).format(Number(m.amountMinor) / 100);
const userActor = (id: string | null) => (id ? { type: 'user' as const, id } : { type: 'system' as const, id: null });

/** Prisma conditions on a time column (and uuid id) for a window. */
function timeWhere(column: string, window: TimeWindow, idColumn = 'id'): object {
  if (!window) return {};
  if (window.before) return { [column]: { lt: window.before } };
  if (window.atOrBefore) return { [column]: { lte: window.atOrBefore } };
  return { OR: [{ [column]: { lt: window.at } }, { [column]: window.at, [idColumn]: { lt: window.idBelow } }] };
}

function activityKind(a: { kind: string; outcome: string | null }): TimelineKind {
  if (a.kind === 'call') return 'contact';
  if (a.kind === 'visit') return 'field_visit';
  if (a.kind === 'status_change') return 'status_change';
  if (a.kind === 'system' || a.outcome?.startsWith('step:')) return 'strategy_step';
  return 'note';
}

const sources: Source[] = [
  {
    name: 'activity',
    kinds: ['contact', 'field_visit', 'note', 'strategy_step', 'status_change'],
    async read(db, accountId, window, take, kinds) {
      const activityKinds: Prisma.ActivityWhereInput[] = [];
      if (kinds.has('contact')) activityKinds.push({ kind: 'call' });
      if (kinds.has('field_visit')) activityKinds.push({ kind: 'visit' });
      if (kinds.has('status_change')) activityKinds.push({ kind: 'status_change' });
      if (kinds.has('strategy_step')) activityKinds.push({ kind: 'system' }, { kind: 'note', outcome: { startsWith: 'step:' } });
      if (kinds.has('note')) {
        activityKinds.push({
          kind: 'note',
          AND: [
            { OR: [{ outcome: null }, { AND: [{ outcome: { not: contactEditOutcome } }, { NOT: { outcome: { startsWith: 'step:' } } }] }] },
            // disputes.ts logs its own note; the dispute entry comes from the audit trail with its invoices.
            { NOT: { direction: 'inbound', summary: { startsWith: 'Dispute ' } } },
          ],
        });
      }
      if (!activityKinds.length) return [];
      const rows = await db.activity.findMany({ where: { accountId, AND: [{ OR: activityKinds }, timeWhere('occurredAt', window) as Prisma.ActivityWhereInput] }, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], take });
      return rows.map((a) => {
        const kind = activityKind(a);
        const detail: TimelineDetail =
          kind === 'contact' || kind === 'field_visit' ? { kind, source: 'activity', channel: a.direction === 'inbound' && a.kind === 'call' ? 'inbound' : a.kind, direction: a.direction, outcome: a.outcome } : { kind: kind as 'note', source: 'activity', outcome: a.outcome?.startsWith('step:') ? null : a.outcome };
        return { at: a.occurredAt, source: 'activity', sortId: a.id, rowId: a.id, actorRef: userActor(a.userId), summary: a.summary, detail };
      });
    },
  },
  {
    name: 'message',
    kinds: ['message'],
    async read(db, accountId, window, take) {
      const rows = await db.message.findMany({ where: { accountId, ...(timeWhere('createdAt', window) as Prisma.MessageWhereInput) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
      return rows.map((m) => ({
        at: m.createdAt,
        source: 'message',
        sortId: m.id,
        rowId: m.id,
        actorRef: m.direction === 'inbound' ? { type: 'system' as const, id: null } : { audit: `message.queued:${m.id}` },
        summary: m.direction === 'inbound' ? `${m.channel.toUpperCase()} from ${m.fromAddress ?? 'the debtor'}: ${m.body.slice(0, 160)}` : `${m.channel === 'sms' ? 'SMS' : m.channel === 'email' ? 'Email' : 'Letter'} to ${m.toAddress}${m.subject ? `: ${m.subject}` : ''}`,
        detail: { kind: 'message', messageId: m.id, channel: m.channel, direction: m.direction, status: m.status, to: m.toAddress, from: m.fromAddress, subject: m.subject, body: m.body, sentAt: m.sentAt ? iso(m.sentAt) : null, lastError: m.lastError },
      }));
    },
  },
  {
    name: 'payment',
    kinds: ['payment'],
    async read(db, accountId, window, take) {
      const rows = await db.payment.findMany({ where: { accountId, ...(timeWhere('receivedAt', window) as Prisma.PaymentWhereInput) }, orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }], take });
      return rows.map((p) => {
        const amount = money(p.amountMinor, p.currency);
        return { at: p.receivedAt, source: 'payment', sortId: p.id, rowId: p.id, actorRef: { audit: `payment.posted:${p.id}` }, summary: `Payment received: ${formatMoney(amount)} by ${p.method.replaceAll('_', ' ')} (${p.externalRef})`, detail: { kind: 'payment', event: 'received', paymentId: p.id, amount, method: p.method, source: p.source, externalRef: p.externalRef, status: p.status, reversalReason: p.reversalReason } };
      });
    },
  },
  {
    name: 'payment_reversal',
    kinds: ['payment'],
    async read(db, accountId, window, take) {
      const rows = await db.payment.findMany({ where: { accountId, AND: [{ reversedAt: { not: null } }, timeWhere('reversedAt', window) as Prisma.PaymentWhereInput] }, orderBy: [{ reversedAt: 'desc' }, { id: 'desc' }], take });
      return rows.map((p) => {
        const amount = money(p.amountMinor, p.currency);
        return { at: p.reversedAt!, source: 'payment_reversal', sortId: p.id, rowId: p.id, actorRef: { audit: `payment.reversed:${p.id}` }, summary: `Payment reversed: ${formatMoney(amount)} (${p.externalRef})${p.reversalReason ? `: ${p.reversalReason}` : ''}`, detail: { kind: 'payment', event: 'reversed', paymentId: p.id, amount, method: p.method, source: p.source, externalRef: p.externalRef, status: p.status, reversalReason: p.reversalReason } };
      });
    },
  },
  {
    name: 'promise',
    kinds: ['promise'],
    async read(db, accountId, window, take) {
      const rows = await db.promiseToPay.findMany({ where: { accountId, ...(timeWhere('createdAt', window) as Prisma.PromiseToPayWhereInput) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take, include: { instalments: { orderBy: { seq: 'asc' } } } });
      return rows.map((p) => promiseRow(p, 'made'));
    },
  },
  {
    name: 'promise_resolution',
    kinds: ['promise'],
    async read(db, accountId, window, take) {
      const rows = await db.promiseToPay.findMany({ where: { accountId, AND: [{ resolvedAt: { not: null } }, timeWhere('resolvedAt', window) as Prisma.PromiseToPayWhereInput] }, orderBy: [{ resolvedAt: 'desc' }, { id: 'desc' }], take, include: { instalments: { orderBy: { seq: 'asc' } } } });
      return rows.map((p) => promiseRow(p, p.status as 'kept' | 'broken' | 'cancelled'));
    },
  },
  {
    name: 'visit_task',
    kinds: ['field_visit'],
    async read(db, accountId, window, take) {
      const rows = await db.task.findMany({ where: { accountId, kind: 'visit', ...(timeWhere('createdAt', window) as Prisma.TaskWhereInput) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
      return rows.map((t) => ({ at: t.createdAt, source: 'visit_task', sortId: t.id, rowId: t.id, actorRef: { audit: `task.created:${t.id}` }, summary: `Field visit scheduled: ${t.title} (due ${dateOnly(t.dueAt)})`, detail: visitDetail(t, 'scheduled') }));
    },
  },
  {
    name: 'reminder',
    kinds: ['strategy_step'],
    async read(db, accountId, window, take) {
      const rows = await db.task.findMany({ where: { accountId, kind: 'review', ...(timeWhere('createdAt', window) as Prisma.TaskWhereInput) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
      return rows.map((t) => ({ at: t.createdAt, source: 'reminder', sortId: t.id, rowId: t.id, actorRef: { audit: `task.created:${t.id}` }, summary: `Reminder set: ${t.title} (due ${dateOnly(t.dueAt)}${t.status === 'done' ? ', done' : ''})`, detail: { kind: 'strategy_step' as const, source: 'task' as const, event: 'reminder' as const, taskId: t.id, title: t.title, status: t.status, dueAt: iso(t.dueAt) } }));
    },
  },
  {
    name: 'visit_done',
    kinds: ['field_visit'],
    async read(db, accountId, window, take) {
      const rows = await db.task.findMany({ where: { accountId, kind: 'visit', AND: [{ completedAt: { not: null } }, timeWhere('completedAt', window) as Prisma.TaskWhereInput] }, orderBy: [{ completedAt: 'desc' }, { id: 'desc' }], take });
      return rows.map((t) => ({ at: t.completedAt!, source: 'visit_done', sortId: t.id, rowId: t.id, actorRef: userActor(t.assigneeId), summary: `Field visit ${t.status === 'cancelled' ? 'cancelled' : 'done'}: ${t.title}`, detail: visitDetail(t, t.status === 'cancelled' ? 'cancelled' : 'done') }));
    },
  },
  {
    name: 'audit',
    kinds: ['dispute', 'contact_change'],
    async read(db, accountId, window, take, kinds) {
      const actions = [...(kinds.has('dispute') ? disputeActions : []), ...(kinds.has('contact_change') ? contactActions : [])];
      if (!actions.length) return [];
      const where: Prisma.AuditLogWhereInput = { accountId, action: { in: actions } };
      if (window?.before) where.at = { lt: window.before };
      else if (window?.atOrBefore) where.at = { lte: window.atOrBefore };
      else if (window?.at) where.OR = [{ at: { lt: window.at } }, { at: window.at, id: { lt: BigInt(window.idBelow!) } }];
      const rows = await db.auditLog.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], take });
      return rows.map((r) => auditRow(r));
    },
  },
];
const sourceNames = sources.map((s) => s.name);

const disputeActions = ['dispute.opened', 'dispute.upheld', 'dispute.rejected'];
const contactActions = ['contact.added', 'contact.updated', 'contact.removed', 'contact.marked_wrong_number', 'contact.opted_out'];

function promiseRow(p: Prisma.PromiseToPayGetPayload<{ include: { instalments: true } }>, event: 'made' | 'kept' | 'broken' | 'cancelled'): Row {
  const amount = money(p.amountMinor, p.currency);
  const instalments = p.instalments.length ? p.instalments.map((i) => ({ seq: i.seq, dueDate: dateOnly(i.dueDate), amount: money(i.amountMinor, p.currency), status: i.status })) : null;
  const terms = instalments ? `${formatMoney(amount)} in ${instalments.length} instalments` : `${formatMoney(amount)} by ${dateOnly(p.dueDate)}`;
  const summary = event === 'made' ? `Promise to pay ${terms}` : event === 'kept' ? `Promise kept: ${terms}` : event === 'broken' ? `Promise broken: ${terms}${instalments ? ` (${instalments.filter((i) => i.status === 'kept').length} of ${instalments.length} paid)` : ''}` : `Promise cancelled: ${terms}`;
  return {
    at: event === 'made' ? p.createdAt : p.resolvedAt!,
    source: event === 'made' ? 'promise' : 'promise_resolution',
    sortId: p.id,
    rowId: p.id,
    actorRef: event === 'made' ? userActor(p.createdById) : { type: 'system', id: null },
    summary,
    detail: { kind: 'promise', event, promiseId: p.id, amount, dueDate: dateOnly(p.dueDate), status: p.status, instalments },
  };
}

function visitDetail(t: { id: string; title: string; status: string; dueAt: Date; assigneeId: string | null }, event: 'scheduled' | 'done' | 'cancelled'): TimelineDetail {
  return { kind: 'field_visit', source: 'task', event, taskId: t.id, title: t.title, status: t.status, dueAt: iso(t.dueAt), assigneeId: t.assigneeId };
}

function auditRow(r: { id: bigint; at: Date; actorType: string; actorId: string | null; action: string; entityId: string; before: unknown; after: unknown }): Row {
  const actorRef = { type: r.actorType as TimelineActor['type'], id: r.actorType === 'system' ? null : r.actorId };
  const base = { at: r.at, source: 'audit', sortId: r.id.toString().padStart(20, '0'), rowId: r.id.toString(), actorRef };
  if (r.action.startsWith('dispute.')) {
    const event = r.action.slice('dispute.'.length) as 'opened' | 'upheld' | 'rejected';
    const after = (r.after ?? {}) as { invoices?: string[]; note?: string | null };
    const invoices = after.invoices ?? [];
    const words = event === 'opened' ? 'Dispute opened' : event === 'upheld' ? 'Dispute upheld, written off' : 'Dispute rejected, owed again';
    return { ...base, summary: `${words}: ${invoices.join(', ')}${after.note ? ` (${after.note})` : ''}`, detail: { kind: 'dispute', event, invoices, note: after.note ?? null } };
  }
  const change = r.action.slice('contact.'.length) as 'added' | 'updated' | 'removed' | 'marked_wrong_number' | 'opted_out';
  const value = ((r.after ?? r.before ?? {}) as { value?: string }).value;
  const words = { added: 'Contact added', updated: 'Contact changed', removed: 'Contact removed', marked_wrong_number: 'Marked as a wrong number', opted_out: 'Opted out by STOP reply' }[change];
  const what = change === 'updated' ? contactChangeWords(r.before, r.after) : '';
  return { ...base, summary: `${words}${value ? `: ${value}` : ''}${what ? ` (${what})` : ''}`, detail: { kind: 'contact_change', change, contactId: r.entityId, before: r.before ?? null, after: r.after ?? null } };
}

/** "number was +1…, label "Home", now primary": what a contact edit changed, from its audit before and after. */
function contactChangeWords(before: unknown, after: unknown): string {
  const b = (before ?? {}) as { value?: string; label?: string; isPrimary?: boolean; optedOut?: boolean };
  const a = (after ?? {}) as typeof b;
  const words: string[] = [];
  if (b.value !== a.value) words.push(`was ${b.value}`);
  if (b.label !== a.label) words.push(a.label ? `label "${a.label}"` : 'label removed');
  if (b.isPrimary !== a.isPrimary) words.push(a.isPrimary ? 'now primary' : 'no longer primary');
  if (b.optedOut !== a.optedOut) words.push(a.optedOut ? 'opted out' : 'opted back in');
  return words.join(', ');
}

/** Which part of a source the page after `cursor` may take: see the module comment. */
function windowFor(source: string, cursor: Cursor | null): TimeWindow {
  if (!cursor) return null;
  const at = new Date(cursor.at);
  if (source > cursor.source) return { before: at };
  if (source < cursor.source) return { atOrBefore: at };
  return { at, idBelow: cursor.id };
}

/** Newest first; within a millisecond by source, then id, both descending (the order the cursor assumes). */
function newestFirst(a: Row, b: Row): number {
  return b.at.getTime() - a.at.getTime() || (a.source < b.source ? 1 : a.source > b.source ? -1 : 0) || (a.sortId < b.sortId ? 1 : a.sortId > b.sortId ? -1 : 0);
}

export async function getAccountTimeline(db: Db, principal: Principal, accountId: string, query: TimelineQuery): Promise<{ items: TimelineEntry[]; nextCursor: string | null }> {
  await requireAccountInScope(db, principal, accountId);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const kinds = new Set<TimelineKind>(query.kinds?.length ? query.kinds : timelineKinds);
  const wanted = sources.filter((s) => s.kinds.some((k) => kinds.has(k)));
  const rows = (await Promise.all(wanted.map((s) => s.read(db, accountId, windowFor(s.name, cursor), query.limit + 1, kinds)))).flat().sort(newestFirst);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor({ at: last.at.getTime(), source: last.source, id: last.rowId }) : null;
  const actors = await resolveActors(db, accountId, page);
  return {
    items: page.map((r) => ({ id: `${r.source}:${r.rowId}`, kind: r.detail.kind, at: iso(r.at), actor: actors(r), summary: r.summary, detail: r.detail })),
    nextCursor,
  };
}

/** Names for the page's actors: users, API keys, the system; rows without their own actor take their audit record's. */
async function resolveActors(db: Db, accountId: string, rows: Row[]): Promise<(row: Row) => TimelineActor> {
  const auditKeys = rows.flatMap((r) => ('audit' in r.actorRef ? [r.actorRef.audit] : []));
  const audited = new Map<string, { type: TimelineActor['type']; id: string | null }>();
  if (auditKeys.length) {
    const entityIds = [...new Set(auditKeys.map((k) => k.slice(k.indexOf(':') + 1)))];
    const actions = [...new Set(auditKeys.map((k) => k.slice(0, k.indexOf(':'))))];
    const found = await db.auditLog.findMany({ where: { accountId, entityId: { in: entityIds }, action: { in: actions } }, select: { action: true, entityId: true, actorType: true, actorId: true }, orderBy: { id: 'asc' } });
    for (const a of found) {
      const key = `${a.action}:${a.entityId}`;
      if (!audited.has(key)) audited.set(key, { type: a.actorType, id: a.actorType === 'system' ? null : a.actorId });
    }
  }
  const refOf = (r: Row) => ('audit' in r.actorRef ? (audited.get(r.actorRef.audit) ?? { type: 'system' as const, id: null }) : r.actorRef);
  const refs = rows.map(refOf);
  // Tests and integrations may name actors by a non-uuid id ("billing"): those cannot be rows to look up.
  const isUuid = (id: string | null): id is string => id !== null && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const userIds = [...new Set(refs.filter((r) => r.type === 'user').map((r) => r.id).filter(isUuid))];
  const keyIds = [...new Set(refs.filter((r) => r.type === 'api_key').map((r) => r.id).filter(isUuid))];
  const [users, keys] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    keyIds.length ? db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true } }) : [],
  ]);
  const names = new Map([...users, ...keys].map((x) => [x.id, x.name]));
  return (row) => {
    const ref = refOf(row);
    if (ref.type === 'system' || !ref.id) return { type: 'system', id: null, name: ref.type === 'system' ? 'System' : 'Unknown' };
    return { type: ref.type, id: ref.id, name: names.get(ref.id) ?? (ref.type === 'api_key' ? `API key ${ref.id}` : 'Unknown user') };
  };
}
