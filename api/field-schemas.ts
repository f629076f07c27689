// Request and response schemas of field collections (F1-F11): the rep's day, look-ups, the sync of
// visits recorded offline, receipts, the card processor's client key, and the supervisor's side
// (leads, routes, conflicts). They validate requests and document the API (OpenAPI).
import { registry, z } from './http/openapi-registry.ts';
import { AccountFilterQuery } from './schemas.ts';
import { maxLeadsByFilter } from '../domain/routing/lead-groups.ts';
import { fieldContactResults, fieldPaymentMethods, maxEquipmentItems, retentionOutcomes } from '../domain/field-visits.ts';

const id = z.uuid();
const minorString = z.string().regex(/^-?\d+$/).openapi({ description: 'An amount in minor units, as a string (exact for any size)' });
const isoInstant = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

/** At most this many visits in one sync: the phone sends its outbox in batches. */
export const maxVisitsPerSync = 25;

export const VisitInput = registry.register(
  'FieldVisitInput',
  z
    .object({
      clientVisitId: id.openapi({ description: 'Generated on the phone when the visit is recorded: sending it again records nothing new' }),
      accountId: id,
      routeStopId: id.nullable().optional(),
      arrivedAt: isoInstant,
      departedAt: isoInstant.nullable().optional(),
      location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), accuracyM: z.number().min(0).max(100_000).nullable().optional() }).strict().nullable().optional(),
      contactResult: z.enum(fieldContactResults),
      payment: z
        .object({
          amountMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
          method: z.enum(fieldPaymentMethods),
          reference: z.string().trim().max(60).nullable().optional().openapi({ description: 'Cheque or money-order number' }),
          card: z
            .object({
              encrypted: z.string().min(16).max(4096).regex(/^[A-Za-z0-9+/=]+$/, 'base64').openapi({ description: 'The card, encrypted on the phone with the processor’s public key (RSA-OAEP-256); the server cannot read it' }),
              keyId: z.string().min(1).max(100),
              last4: z.string().regex(/^\d{4}$/),
              brand: z.string().trim().min(1).max(40),
            })
            .strict()
            .nullable()
            .optional(),
        })
        .strict()
        .nullable()
        .optional(),
      promise: z.object({ amountMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), dueDate: isoDate }).strict().nullable().optional(),
      equipment: z.array(z.object({ type: z.string().trim().min(1).max(60), serial: z.string().trim().min(1).max(80), condition: z.string().trim().max(200).nullable().optional() }).strict()).max(maxEquipmentItems).optional(),
      retention: z.object({ offer: z.string().trim().min(1).max(300), outcome: z.enum(retentionOutcomes) }).strict().nullable().optional(),
      notes: z.string().max(2000).nullable().optional(),
      signature: z
        .object({ pngBase64: z.string().min(16).max(360_000).regex(/^[A-Za-z0-9+/=]+$/, 'base64'), signedByName: z.string().trim().min(1).max(120) })
        .strict()
        .nullable()
        .optional()
        .openapi({ description: 'The customer’s signature, a PNG drawn on the phone (F7)' }),
      balanceSeen: z.object({ amountMinor: z.number().int(), asOf: isoInstant }).strict().nullable().optional().openapi({ description: 'The balance the phone showed and as of when: payments posted meanwhile are flagged' }),
    })
    .strict(),
);

export const SyncBody = registry.register(
  'FieldSyncRequest',
  z.object({ deviceId: z.string().trim().min(1).max(100).nullable().optional(), visits: z.array(VisitInput).min(1).max(maxVisitsPerSync) }).strict(),
);

const Conflict = registry.register('FieldSyncConflict', z.object({ code: z.string(), message: z.string() }).loose());

export const SyncResult = registry.register(
  'FieldSyncResult',
  z.object({
    syncedAt: z.string(),
    results: z.array(
      z.object({
        clientVisitId: id,
        status: z.enum(['recorded', 'duplicate', 'rejected', 'retry']).openapi({ description: '`recorded`: new; `duplicate`: recorded before (same answer); `rejected`: fix and send again (see problems); `retry`: keep it and try later (see reason)' }),
        visitId: id.optional(),
        receiptNumber: z.string().optional(),
        paymentId: id.nullable().optional(),
        promiseId: id.nullable().optional(),
        card: z.object({ status: z.enum(['approved', 'declined']), brand: z.string().nullable(), last4: z.string().nullable(), processorRef: z.string().nullable(), declineMessage: z.string().nullable() }).nullable().optional(),
        balanceAfterMinor: minorString.optional(),
        currency: z.string().optional(),
        conflicts: z.array(Conflict).optional(),
        problems: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
        reason: z.string().optional(),
      }),
    ),
  }),
);

const AccountCard = registry.register(
  'FieldAccountCard',
  z.object({
    id,
    externalRef: z.string(),
    currency: z.string(),
    balanceMinor: minorString,
    creditMinor: minorString,
    daysPastDue: z.number().int(),
    serviceStatus: z.string(),
    status: z.string(),
    serviceAddress: z.string().nullable(),
    postalCode: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    corp: z.string().nullable(),
    customer: z.object({ name: z.string(), type: z.string(), timeZone: z.string() }),
    restriction: z.string().nullable(),
    contacts: z.array(z.object({ kind: z.string(), value: z.string(), label: z.string(), isPrimary: z.boolean() })),
    openInvoices: z.array(z.object({ externalRef: z.string(), dueDate: z.string(), openMinor: minorString })),
    recentPayments: z.array(z.object({ amountMinor: minorString, method: z.string(), source: z.string(), receivedAt: z.string() })),
    openPromise: z.object({ amountMinor: minorString, dueDate: z.string() }).nullable(),
    openCase: z.object({ id, stage: z.string(), nextAction: z.string().nullable(), nextActionAt: z.string().nullable() }).nullable(),
    recentVisits: z.array(z.object({ arrivedAt: z.string(), contactResult: z.string(), summary: z.string() })),
    asOf: z.string(),
  }),
);
export { AccountCard as FieldAccountCard };

const CardProcessorConfig = registry.register(
  'CardProcessorConfig',
  z.object({ processor: z.string(), algorithm: z.literal('RSA-OAEP-256'), keyId: z.string(), publicKeyJwk: z.record(z.string(), z.unknown()) }).openapi({ description: 'How the phone encrypts a card for the merchant’s processor (F9)' }),
);
export { CardProcessorConfig };

export const FieldDay = registry.register(
  'FieldDay',
  z.object({
    date: z.string(),
    generatedAt: z.string(),
    company: z.string().openapi({ description: 'Heads the receipts the phone prints offline' }),
    rep: z.object({ id, name: z.string(), branch: z.object({ code: z.string(), name: z.string(), timeZone: z.string() }).nullable() }),
    routes: z.array(
      z.object({
        id,
        name: z.string(),
        status: z.string(),
        startAt: z.string(),
        start: z.object({ latitude: z.number(), longitude: z.number() }),
        plannedDistanceM: z.number().int(),
        plannedDurationS: z.number().int(),
        stops: z.array(z.object({ id, seq: z.number().int(), status: z.string(), plannedArrivalAt: z.string(), legDistanceM: z.number().int(), legDurationS: z.number().int(), serviceMinutes: z.number().int(), purpose: z.string().nullable(), account: AccountCard })),
      }),
    ),
    cardProcessor: CardProcessorConfig.nullable(),
  }),
);

export const FieldDayQuery = z.object({ date: isoDate.optional() });

export const ReceiptDoc = registry.register(
  'Receipt',
  z.object({
    visitId: id,
    accountId: id,
    receiptNumber: z.string(),
    title: z.string(),
    heading: z.array(z.string()),
    lines: z.array(z.object({ label: z.string(), value: z.string() })),
    equipment: z.array(z.string()),
    footer: z.array(z.string()),
    signedBy: z.string().nullable(),
    signaturePng: z.string().nullable().openapi({ description: 'base64' }),
    link: z.string().openapi({ description: 'The customer’s own link to the PDF' }),
  }),
);

export const SendReceiptBody = registry.register(
  'SendReceiptRequest',
  z.object({ channel: z.enum(['email', 'sms']), to: z.string().trim().max(200).nullable().optional().openapi({ description: 'An address the customer gave; the contact on file when absent' }) }).strict(),
);
export const SendReceiptResult = registry.register('SendReceiptResult', z.object({ messageId: id, to: z.string(), created: z.boolean() }));

export const ReceiptLinkParams = z.object({ receiptNumber: z.string().regex(/^R-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/) });
export const ReceiptLinkQuery = z.object({ token: z.string().min(16).max(64) });

export const ConflictListQuery = z.object({ status: z.enum(['open', 'resolved']).default('open'), page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(25) });
export const ConflictPage = registry.register(
  'FieldConflictPage',
  z.object({
    total: z.number().int(),
    items: z.array(
      z.object({
        visitId: id,
        receiptNumber: z.string(),
        arrivedAt: z.string(),
        syncedAt: z.string(),
        summary: z.string(),
        account: z.object({ id, externalRef: z.string(), customerName: z.string() }),
        rep: z.object({ id, name: z.string() }),
        conflicts: z.array(Conflict),
        status: z.enum(['open', 'resolved']),
        note: z.string().nullable(),
        resolvedAt: z.string().nullable(),
      }),
    ),
  }),
);
export const ResolveConflictBody = registry.register('ResolveFieldConflictRequest', z.object({ note: z.string().trim().min(3).max(1000) }).strict());

export const minor = minorString;
export { isoDate, isoInstant };

// The supervisor's side: leads, plans and routes (F1-F3).
const LeadAccount = z.object({
  id,
  externalRef: z.string(),
  customerName: z.string(),
  currency: z.string(),
  balanceMinor: minorString,
  daysPastDue: z.number().int(),
  serviceAddress: z.string().nullable(),
  postalCode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  corp: z.string().nullable(),
  auditRoute: z.string().nullable(),
  branchCode: z.string(),
  branchId: id,
  priorityScore: z.number(),
});
export const Lead = registry.register('FieldLead', z.object({ taskId: id, title: z.string(), createdAt: z.string(), route: z.object({ id, name: z.string(), serviceDate: z.string() }).nullable(), account: LeadAccount }));
export const LeadListQuery = z.object({ branchId: id.optional(), unrouted: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'), q: z.string().trim().min(1).max(100).optional() });
export const LeadList = registry.register('FieldLeadList', z.object({ total: z.number().int(), items: z.array(Lead) }));
export const CreateLeadsBody = registry.register(
  'CreateFieldLeadsRequest',
  z
    .object({
      accountIds: z.array(id).min(1).max(500).optional().openapi({ description: 'The accounts chosen one by one' }),
      filter: AccountFilterQuery.optional().openapi({ description: `Or every account the bucket's filters match (F1: by criteria), at most ${maxLeadsByFilter}` }),
      title: z.string().trim().min(3).max(200).default('Field visit'),
    })
    .strict()
    .refine((b) => (b.accountIds === undefined) !== (b.filter === undefined), { message: 'give accountIds or filter, not both', path: ['accountIds'] }),
);
export const CreatedLeads = registry.register(
  'CreatedFieldLeads',
  z.object({
    matched: z.number().int().openapi({ description: 'Accounts asked for (by id, or matching the filter)' }),
    created: z.array(z.object({ taskId: id, accountId: id })),
    skipped: z.array(z.object({ accountId: id, reason: z.enum(['not_found', 'no_open_case', 'lead_exists']) })),
  }),
);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const groupBy = z.enum(['corp', 'zip', 'auditRoute', 'branch', 'none']);
export const PlanBody = registry.register(
  'PlanFieldRoutesRequest',
  z
    .object({
      serviceDate: isoDate,
      branchId: id.optional(),
      groupBy: groupBy.default('none').openapi({ description: 'A route never mixes groups: by corp (company or franchise), ZIP code, audit route, branch, or none' }),
      taskIds: z.array(id).min(1).max(2_000).optional().openapi({ description: 'Only these leads (a selection on the map); default every unrouted lead of the branch' }),
      reps: z.array(z.object({ repId: id, maxStops: z.number().int().min(1).max(200).optional(), maxMinutes: z.number().int().min(30).max(16 * 60).optional() }).strict()).min(1).max(100),
      startTime: hhmm.optional().openapi({ description: 'When the day starts, in the branch’s time zone (default 08:30)' }),
      serviceMinutes: z.number().int().min(1).max(240).optional().openapi({ description: 'Minutes on site per stop (default 15)' }),
    })
    .strict(),
);
const PlannedStop = z.object({ taskId: id, sequence: z.number().int(), legMetres: z.number().int(), legSeconds: z.number().int(), arrivesAt: z.string(), departsAt: z.string(), serviceMinutes: z.number().int(), lead: Lead });
export const RoutePlan = registry.register(
  'FieldRoutePlan',
  z.object({
    branch: z.object({ id, code: z.string(), name: z.string() }),
    timeZone: z.string(),
    serviceDate: z.string(),
    groupBy,
    startAt: z.string(),
    travelSource: z.string(),
    travelFallbackReason: z.string().nullable(),
    routes: z.array(z.object({ rep: z.object({ id, name: z.string() }), start: z.object({ latitude: z.number(), longitude: z.number() }), groupKey: z.string().nullable(), totals: z.object({ stops: z.number().int(), travelMetres: z.number(), travelSeconds: z.number(), serviceMinutes: z.number(), workMinutes: z.number(), amountMinor: z.number(), startsAt: z.string(), endsAt: z.string() }), violations: z.array(z.object({ kind: z.string(), limit: z.number(), actual: z.number() })), stops: z.array(PlannedStop) })),
    unassigned: z.array(z.object({ taskId: id, groupKey: z.string().nullable(), reason: z.string(), lead: Lead })),
    summary: z.object({ routes: z.number().int(), stops: z.number().int(), unassigned: z.number().int(), travelMetres: z.number(), travelSeconds: z.number(), amountMinor: z.number(), workMinutes: z.object({ min: z.number(), max: z.number(), mean: z.number() }) }),
  }),
);
export const CreateRoutesBody = registry.register(
  'CreateFieldRoutesRequest',
  z
    .object({
      serviceDate: isoDate,
      branchId: id.optional(),
      startTime: hhmm.optional(),
      serviceMinutes: z.number().int().min(1).max(240).optional(),
      routes: z
        .array(
          z
            .object({
              name: z.string().trim().min(1).max(120).optional(),
              repId: id,
              taskIds: z.array(id).min(1).max(200),
              groupBy: z.string().max(20).optional(),
              groupKey: z.string().max(100).nullable().optional(),
              optimise: z.boolean().default(true).openapi({ description: 'Order the stops for the least driving; false keeps the order given' }),
            })
            .strict(),
        )
        .min(1)
        .max(100),
    })
    .strict(),
);
const RouteStopDto = z.object({
  id,
  seq: z.number().int(),
  status: z.string(),
  taskId: id.nullable(),
  purpose: z.string().nullable(),
  plannedArrivalAt: z.string(),
  legDistanceM: z.number().int(),
  legDurationS: z.number().int(),
  serviceMinutes: z.number().int(),
  account: z.object({ id, externalRef: z.string(), customerName: z.string(), serviceAddress: z.string().nullable(), postalCode: z.string().nullable(), latitude: z.number().nullable(), longitude: z.number().nullable(), balanceMinor: minorString, currency: z.string() }),
});
export const FieldRoute = registry.register(
  'FieldRoute',
  z.object({
    id,
    name: z.string(),
    branchId: id,
    timeZone: z.string(),
    serviceDate: z.string(),
    status: z.string(),
    rep: z.object({ id, name: z.string() }).nullable(),
    groupBy: z.string(),
    groupKey: z.string().nullable(),
    start: z.object({ latitude: z.number(), longitude: z.number() }),
    startAt: z.string(),
    plannedDistanceM: z.number().int(),
    plannedDurationS: z.number().int(),
    travelSource: z.string(),
    visits: z.number().int(),
    stops: z.array(RouteStopDto),
  }),
);
export const RouteList = registry.register('FieldRouteList', z.object({ items: z.array(FieldRoute) }));
export const RouteListQuery = z.object({ date: isoDate.optional(), branchId: id.optional(), repId: id.optional(), includeCancelled: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });
export const UpdateRouteBody = registry.register('UpdateFieldRouteRequest', z.object({ name: z.string().trim().min(1).max(120).optional(), repId: id.optional(), stopIds: z.array(id).min(1).max(200).optional(), optimise: z.boolean().optional() }).strict().refine((b) => Object.keys(b).length > 0, { message: 'say what to change' }));
export const MoveStopBody = registry.register('MoveRouteStopRequest', z.object({ toRouteId: id, position: z.number().int().min(1).max(201).optional() }).strict());
export const RouteStopParams = z.object({ id, stopId: id });
export const RepList = registry.register('FieldRepList', z.object({ items: z.array(z.object({ id, name: z.string(), email: z.string(), branchId: id.nullable() })) }));
export const RepListQuery = z.object({ branchId: id.optional() });

export const AccountFieldVisits = registry.register(
  'AccountFieldVisits',
  z.object({
    items: z.array(
      z.object({
        id,
        receiptNumber: z.string(),
        arrivedAt: z.string(),
        syncedAt: z.string(),
        rep: z.object({ id, name: z.string() }),
        contactResult: z.enum(fieldContactResults),
        summary: z.string(),
        payment: z.object({ amountMinor: minorString, currency: z.string(), method: z.string().nullable(), reference: z.string().nullable(), posted: z.boolean() }).nullable(),
        card: z.object({ status: z.enum(['approved', 'declined']), brand: z.string().nullable(), last4: z.string().nullable(), processorRef: z.string().nullable() }).nullable(),
        equipment: z.array(z.object({ type: z.string(), serial: z.string() })),
        retention: z.object({ offer: z.string(), outcome: z.string().nullable() }).nullable(),
        location: z.object({ latitude: z.number(), longitude: z.number(), accuracyM: z.number().nullable() }).nullable(),
        signedBy: z.string().nullable(),
        notes: z.string(),
        conflicts: z.array(z.object({ code: z.string(), message: z.string() }).loose()),
        conflictStatus: z.enum(['open', 'resolved']).nullable(),
      }),
    ),
  }),
);
