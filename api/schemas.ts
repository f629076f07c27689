// The API's request and response shapes (zod), registered for the OpenAPI document.
import { registry, z } from './http/openapi-registry.ts';
import { accountAttributesSchema } from '../domain/segmentation.ts';
import { ageingBuckets } from '../domain/ageing.ts';

const id = z.uuid();
const dateOnly = z.iso.date().openapi({ example: '2026-10-01' });
const amountMinor = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Integer minor units (cents)', example: 12550 });
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'a three-letter ISO 4217 code').transform((c) => c.toUpperCase()).openapi({ example: 'USD' });
const externalRef = z.string().trim().min(1).max(100);

export const Money = registry.register('Money', z.object({ amountMinor: z.number().int(), currency: z.string() }));
export const Role = z.enum(['admin', 'supervisor', 'collector', 'field_rep', 'legal', 'viewer']);
export const BranchRef = registry.register('Branch', z.object({ id, code: z.string(), name: z.string() }));

export const LoginBody = registry.register('LoginRequest', z.object({ email: z.email().max(200), password: z.string().min(1).max(200) }));
export const Me = registry.register(
  'Me',
  z.object({
    user: z.object({ id, email: z.string(), name: z.string(), role: Role, branch: BranchRef.nullable() }),
    csrfToken: z.string(),
    permissions: z.array(z.string()).openapi({ description: "What the user's role allows (domain/access.ts), so the UI offers only what the API would accept" }),
  }),
);

export const IdParams = z.object({ id });

const AccountStatus = z.enum(['current', 'delinquent', 'trace', 'closed', 'written_off']);

/** X1 on a case: the first communication, the validation notice and its period, a time-barred debt. */
export const CaseComplianceView = registry.register(
  'CaseCompliance',
  z
    .object({
      firstContactAt: z.string().nullable().openapi({ description: 'The first communication with the debtor about this debt' }),
      validationNoticeRequired: z.boolean().openapi({ description: "Whether the debtor's jurisdiction requires a validation notice (US: Reg F §1006.34)" }),
      validationNoticeSentAt: z.string().nullable(),
      validationNoticeChannel: z.enum(['email', 'letter']).nullable(),
      validationPeriodEndsOn: dateOnly.nullable().openapi({ description: 'The last day the debtor may dispute the debt' }),
      validationPeriodOpen: z.boolean(),
      timeBarredOn: dateOnly.nullable().openapi({ description: "The day the debt is (or will be) time-barred under the jurisdiction's statute of limitations; null when none applies" }),
      timeBarredSince: dateOnly.nullable().openapi({ description: 'Set once the debt is time-barred: no legal referral and no template threatening suit' }),
    })
    .openapi({ description: 'Regulation F and the statute of limitations on this case (docs/compliance.md)' }),
);
const CaseStage = z.enum(['soft', 'hard', 'pre_legal', 'legal', 'closed']);
const CaseStatus = z.enum(['open', 'closed']);

/** The bucket's filters (W1): the list, its summary, the never-worked (R5) and trace (W8) lists and saved views share them. */
export const AccountFilterQuery = z.object({
  q: z.string().trim().max(100).optional(),
  status: AccountStatus.optional(),
  branchId: id.optional(),
  customerType: z.enum(['retail', 'corporate']).optional(),
  caseStatus: CaseStatus.optional(),
  ageingBucket: z.enum(ageingBuckets).optional().openapi({ description: 'Days-past-due bucket; combines with min/maxDaysPastDue' }),
  minDaysPastDue: z.coerce.number().int().min(0).max(10_000).optional(),
  maxDaysPastDue: z.coerce.number().int().min(0).max(10_000).optional(),
  segmentId: id.optional(),
  stage: z.enum(['soft', 'hard', 'pre_legal', 'legal']).optional().openapi({ description: "The stage of the account's open case" }),
  worked: z.enum(['never']).optional().openapi({ description: 'never (R5): owing, with an open case, never worked by anyone (no work-log stretch, no call or visit by a user)' }),
});

export const AccountListQuery = AccountFilterQuery.extend({
  sort: z.enum(['daysPastDue', 'balance', 'name', 'externalRef']).default('daysPastDue'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export const AccountSummary = registry.register(
  'AccountSummary',
  z.object({
    id,
    externalRef: z.string(),
    customer: z.object({ id, name: z.string(), type: z.enum(['retail', 'corporate']) }),
    branch: BranchRef,
    segment: z.object({ code: z.string(), name: z.string() }).nullable(),
    status: AccountStatus,
    serviceStatus: z.enum(['active', 'suspended', 'disconnected']),
    balance: Money,
    daysPastDue: z.number().int(),
    ageingBucket: z.enum(ageingBuckets),
    oldestDueDate: dateOnly.nullable(),
    case: z.object({ id, status: CaseStatus, stage: CaseStage }).nullable(),
  }),
);

export const Page = <T extends z.ZodType>(name: string, item: T) =>
  registry.register(name, z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }));

export const AccountPage = Page('AccountPage', AccountSummary);

const UserRef = z.object({ userId: id, name: z.string() });
export const WorkState = registry.register(
  'WorkState',
  z
    .object({
      leasedBy: UserRef.extend({ since: z.string(), expiresAt: z.string() }).nullable().openapi({ description: 'Who is working the account now (W7)' }),
      lastWorked: UserRef.extend({ at: z.string() }).nullable().openapi({ description: 'Who worked it last, and when' }),
      postponedUntil: z.string().nullable(),
      postponedFor: UserRef.nullable(),
      allocatedTo: UserRef.nullable().openapi({ description: 'The collector a supervisor allocated it to (W2)' }),
    })
    .openapi({ description: 'Who works the account: the banner shown before any contact (W7)' }),
);

export const AccountDetail = registry.register(
  'AccountDetail',
  AccountSummary.extend({
    segmentReason: z.string().nullable().openapi({ description: 'Why the account is in its segment: the matching criteria (S1)' }),
    attributes: z.record(z.string(), z.unknown()).openapi({ description: 'Segment attributes last reported by billing (riskScore, productType, serviceLevel, hierarchy)' }),
    customer: z.object({
      id,
      externalRef: z.string(),
      name: z.string(),
      type: z.enum(['retail', 'corporate']),
      timeZone: z.string(),
      contacts: z.array(z.object({ id, kind: z.enum(['email', 'phone', 'mobile', 'address']), value: z.string(), label: z.string(), isPrimary: z.boolean(), optedOut: z.boolean() })),
      contactRestrictions: z
        .object({ ceaseCommunicationAt: z.string().nullable(), attorneyRepresentedAt: z.string().nullable(), attorneyDetails: z.string().nullable() })
        .openapi({ description: "The debtor's recorded requests about contact (X1): a written cease-communication request, a lawyer" }),
    }),
    credit: Money.openapi({ description: 'Credit on the account from over-payments (E3), applied to future invoices' }),
    invoices: z.array(z.object({ id, externalRef: z.string(), issuedAt: dateOnly, dueDate: dateOnly, amount: Money, open: Money, status: z.enum(['open', 'paid', 'disputed', 'written_off']), daysPastDue: z.number().int() })),
    payments: z.array(
      z.object({
        id,
        externalRef: z.string(),
        amount: Money,
        method: z.string(),
        source: z.string(),
        receivedAt: z.string(),
        status: z.enum(['posted', 'reversed']),
        unapplied: Money.openapi({ description: 'The part of the payment beyond what was owed, held as account credit' }),
        reversedAt: z.string().nullable(),
        reversalReason: z.string().nullable(),
      }),
    ),
    cases: z.array(
      z.object({
        id,
        episode: z.number().int(),
        workflowId: z.string(),
        status: CaseStatus,
        stage: CaseStage,
        closeReason: z.enum(['paid', 'written_off', 'recalled', 'settled']).nullable(),
        openedAt: z.string(),
        closedAt: z.string().nullable(),
        nextAction: z.string().nullable(),
        nextActionAt: z.string().nullable(),
        stagesBeforeLegal: z.number().int().nullable().openapi({ description: "Stages left before legal action in the case's strategy (C6); null once closed, or when the strategy takes no legal action" }),
        temporalUrl: z.string().nullable(),
        compliance: CaseComplianceView.nullable().openapi({ description: 'For the latest case only; null for earlier ones' }),
      }),
    ),
    promises: z.array(
      z.object({
        id,
        amount: Money,
        dueDate: dateOnly,
        status: z.enum(['pending', 'kept', 'broken', 'cancelled']),
        createdAt: z.string(),
        instalments: z
          .array(z.object({ dueDate: dateOnly, amount: Money, status: z.enum(['pending', 'kept', 'broken']) }))
          .nullable()
          .openapi({ description: "A plan's instalments as stored (statuses as of its resolution; the case's live view has them as they stand); null for a single payment" }),
      }),
    ),
    activities: z.array(z.object({ id, kind: z.string(), direction: z.enum(['outbound', 'inbound']), summary: z.string(), outcome: z.string().nullable(), occurredAt: z.string(), user: z.object({ id, name: z.string() }).nullable() })),
    work: WorkState,
  }),
);

export const AuditEntry = registry.register(
  'AuditEntry',
  z.object({ id: z.string(), at: z.string(), actorType: z.enum(['user', 'api_key', 'system']), actorId: z.string().nullable(), action: z.string(), entityType: z.string(), entityId: z.string(), before: z.unknown(), after: z.unknown() }),
);
export const AuditList = registry.register('AuditList', z.object({ items: z.array(AuditEntry) }));

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as America/Chicago');

export const DelinquencyReportBody = registry.register(
  'DelinquencyReport',
  z
    .object({
      customer: z.object({
        externalRef,
        name: z.string().trim().min(1).max(200),
        type: z.enum(['retail', 'corporate']),
        timeZone,
        jurisdiction: z
          .string()
          .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 country code, optionally with a region: US, US-MA, HU')
          .optional()
          .openapi({ description: "Where the debtor lives, for the contact policy (X1); default US", example: 'US-NY' }),
        branchCode: z.string().trim().min(1).max(20),
        contacts: z.array(z.object({ kind: z.enum(['email', 'phone', 'mobile', 'address']), value: z.string().trim().min(3).max(300), label: z.string().max(50).optional(), isPrimary: z.boolean().optional() })).max(20).default([]),
      }),
      account: z.object({
        externalRef,
        currency,
        attributes: accountAttributesSchema.optional().openapi({ description: 'Segment attributes from billing (S1, E4): riskScore 0–1000, productType, serviceLevel, hierarchy ("ACME/East/Boston"). When given they replace the stored ones; when absent the stored ones are kept.' }),
        serviceLocation: z
          .object({
            address: z.string().trim().min(3).max(300),
            postalCode: z.string().trim().min(2).max(20).nullable().optional(),
            latitude: z.number().min(-90).max(90).nullable().optional(),
            longitude: z.number().min(-180).max(180).nullable().optional(),
          })
          .strict()
          .refine((l) => (l.latitude == null) === (l.longitude == null), { message: 'give both latitude and longitude, or neither' })
          .optional()
          .openapi({ description: 'Where the service is, for field visits and routes (F2). Coordinates let routes be planned; when absent the stored location is kept.' }),
        corp: z.string().trim().min(1).max(100).nullable().optional().openapi({ description: 'The company or franchise the account belongs to (routes can be grouped by it)' }),
        auditRoute: z.string().trim().min(1).max(50).nullable().optional().openapi({ description: 'Billing’s audit route (routes can be grouped by it)' }),
      }),
      invoices: z
        .array(
          z
            .object({ externalRef, issuedAt: dateOnly, dueDate: dateOnly, amountMinor, openMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })
            .refine((i) => i.openMinor <= i.amountMinor, { message: 'openMinor cannot exceed amountMinor', path: ['openMinor'] })
            .refine((i) => i.dueDate >= i.issuedAt, { message: 'dueDate cannot precede issuedAt', path: ['dueDate'] }),
        )
        .min(1)
        .max(500),
    })
    .refine((r) => new Set(r.invoices.map((i) => i.externalRef)).size === r.invoices.length, { message: 'invoice externalRefs must be unique', path: ['invoices'] }),
);

export const DelinquencyResult = registry.register(
  'DelinquencyResult',
  z.object({ accountId: id, caseId: id.nullable(), workflowId: z.string().nullable(), caseCreated: z.boolean(), balance: Money, daysPastDue: z.number().int() }),
);

export const PaymentBody = registry.register(
  'PaymentRequest',
  z.object({
    accountRef: externalRef.openapi({ description: "The billing system's account number" }),
    externalRef: externalRef.openapi({ description: 'Your reference for this payment; a repeat with the same ref is recorded once' }),
    amountMinor,
    currency,
    method: z.enum(['cash', 'cheque', 'card', 'money_order', 'bank_transfer', 'direct_debit', 'other']),
    receivedAt: z.iso.datetime({ offset: true }).optional(),
  }),
);

const InvoiceAmount = z.object({ invoiceRef: z.string(), amountMinor: z.number().int() });

export const PaymentResult = registry.register(
  'PaymentResult',
  z.object({
    paymentId: id,
    accountId: id,
    created: z.boolean(),
    balance: Money,
    allocations: z.array(InvoiceAmount).openapi({ description: 'What the payment paid on each invoice, oldest first' }),
    unapplied: Money.openapi({ description: 'The over-payment no open invoice needed; kept as a credit on the account' }),
    credit: Money.openapi({ description: "The account's credit now" }),
    caseWorkflowId: z.string().nullable(),
  }),
);

export const PaymentReversalBody = registry.register(
  'PaymentReversalRequest',
  z.object({
    accountRef: externalRef.openapi({ description: "The billing system's account number" }),
    paymentRef: externalRef.openapi({ description: 'The externalRef the payment was posted with' }),
    reason: z.string().trim().min(3).max(500).openapi({ example: 'cheque returned unpaid' }),
  }),
);

export const PaymentReversalResult = registry.register(
  'PaymentReversalResult',
  z.object({
    paymentId: id,
    accountId: id,
    reversed: z.boolean().openapi({ description: 'false when the payment had been reversed before (nothing was written this time)' }),
    reversedAt: z.iso.datetime(),
    reason: z.string(),
    amount: Money,
    reopened: z.array(InvoiceAmount).openapi({ description: 'What is owed again on each invoice' }),
    creditRemoved: Money,
    balance: Money,
    credit: Money,
    caseId: id.nullable(),
    caseWorkflowId: z.string().nullable(),
    caseOpened: z.boolean().openapi({ description: 'A new case episode opened: the reversal left the account owing and past due with no open case' }),
  }),
);

export const InvoiceAdjustmentsBody = registry.register(
  'InvoiceAdjustmentsRequest',
  z.object({
    accountRef: externalRef.openapi({ description: "The billing system's account number" }),
    adjustments: z
      .array(
        z
          .object({
            externalRef: externalRef.openapi({ description: 'Your reference for this adjustment; a repeat with the same ref is recorded once' }),
            invoiceRef: externalRef,
            kind: z.enum(['credit_note', 'debit_note', 'correction']),
            amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Credit and debit notes: the positive amount of the note. Correction: the new open amount (0 or more).' }),
            reason: z.string().trim().min(3).max(500),
          })
          .refine((a) => a.kind === 'correction' || a.amountMinor > 0, { message: 'a credit or debit note must be for a positive amount', path: ['amountMinor'] }),
      )
      .min(1)
      .max(100),
  }).refine((r) => new Set(r.adjustments.map((a) => a.externalRef)).size === r.adjustments.length, { message: 'adjustment externalRefs must be unique', path: ['adjustments'] }),
);

export const InvoiceAdjustmentsResult = registry.register(
  'InvoiceAdjustmentsResult',
  z.object({
    accountId: id,
    applied: z.number().int().openapi({ description: 'How many adjustments were applied by this request (0: all had been recorded before)' }),
    adjustments: z.array(
      z.object({
        externalRef: z.string(),
        invoiceRef: z.string(),
        kind: z.enum(['credit_note', 'debit_note', 'correction']),
        change: Money.openapi({ description: 'Signed change of the open amount' }),
        openBefore: Money,
        openAfter: Money,
        alreadyRecorded: z.boolean(),
      }),
    ),
    balance: Money,
    caseId: id.nullable(),
  }),
);

export const MessageListQuery = z.object({
  channel: z.enum(['email', 'sms', 'letter']).optional(),
  status: z.enum(['queued', 'sent', 'delivered', 'failed', 'dead']).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export const MessageItem = registry.register(
  'Message',
  z.object({
    id,
    channel: z.enum(['email', 'sms', 'letter']),
    toAddress: z.string(),
    subject: z.string().nullable(),
    body: z.string(),
    status: z.enum(['queued', 'sent', 'delivered', 'failed', 'dead']),
    provider: z.string().nullable(),
    accountId: id.nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  }),
);
export const MessagePage = Page('MessagePage', MessageItem);

export const ApiKeyCreateBody = registry.register(
  'ApiKeyCreate',
  z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.string()).min(1).max(20), branchId: id.nullable().optional() }),
);
export const ApiKeyItem = registry.register(
  'ApiKey',
  z.object({ id, name: z.string(), prefix: z.string(), scopes: z.array(z.string()), branchId: id.nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() }),
);
export const ApiKeyCreated = registry.register('ApiKeyCreated', ApiKeyItem.extend({ key: z.string().openapi({ description: 'Shown once; store it now' }) }));

const PromiseInstalment = z.object({ amountMinor, dueDate: dateOnly }).strict();
export const PromiseBody = registry.register(
  'PromiseRequest',
  z.union([
    z.object({ amountMinor, dueDate: dateOnly }).strict().openapi({ description: 'A single payment by a date' }),
    z.object({ instalments: z.array(PromiseInstalment).min(2).max(12) }).strict().openapi({ description: 'An instalment plan: 2 to 12 payments, dates ascending' }),
  ]),
);
export const PromiseCreated = registry.register(
  'PromiseAccepted',
  z.object({
    promiseId: id,
    caseId: id,
    amountMinor: z.number().int(),
    dueDate: dateOnly,
    breaksOn: dateOnly.openapi({ description: 'The first day on which the promise (a plan: its first instalment) counts as broken if unpaid' }),
    instalments: z.array(z.object({ amountMinor: z.number().int(), dueDate: dateOnly })).optional(),
  }),
);
export const SenderView = registry.register('Sender', z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string().nullable(), name: z.string() }));
export const CasePauseView = registry.register('CasePause', z.object({ since: z.string(), reason: z.string(), by: SenderView }).openapi({ description: 'A supervisor paused the case: no strategy step runs and nothing is sent until it is resumed' }));

export const CaseView = registry.register(
  'Case',
  z.object({
    id,
    accountId: id,
    accountRef: z.string(),
    episode: z.number().int(),
    workflowId: z.string(),
    temporalUrl: z.string().nullable(),
    strategy: z.object({ name: z.string(), version: z.number().int() }).nullable(),
    status: CaseStatus,
    stage: CaseStage,
    closeReason: z.string().nullable(),
    balance: Money,
    serviceStatus: z.enum(['active', 'suspended', 'disconnected']),
    stepsDone: z.array(z.string()),
    nextStep: z.object({ id: z.string(), action: z.string(), dueAt: z.string().nullable(), note: z.string().nullable().openapi({ description: 'Why it waits, when the contact policy deferred it (X1)' }) }).nullable(),
    stagesBeforeLegal: z.number().int().nullable(),
    daysPastDue: z.number().int().nullable(),
    promise: z
      .object({ id, amountMinor: z.number().int(), paidMinor: z.number().int(), dueDate: dateOnly, breaksOn: dateOnly, instalments: z.array(z.object({ amountMinor: z.number().int(), dueDate: dateOnly, status: z.enum(['pending', 'kept', 'broken']) })).nullable() })
      .nullable(),
    live: z.boolean().openapi({ description: 'Whether the running workflow answered (otherwise the stored state is shown)' }),
    paused: CasePauseView.nullable(),
    compliance: CaseComplianceView,
  }),
);
