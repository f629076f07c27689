// The API's JSON shapes as the UI uses them (see /api/v1/openapi.json for the full contract).
import type { ArmComparison, ArmFigures } from '$domain/strategy-performance.ts';
export type Role = 'admin' | 'supervisor' | 'collector' | 'field_rep' | 'legal' | 'viewer';
export interface Money {
  amountMinor: number;
  currency: string;
}
export interface BranchRef {
  id: string;
  code: string;
  name: string;
}
export interface Me {
  user: { id: string; email: string; name: string; role: Role; branch: BranchRef | null };
  csrfToken: string;
  /** What the user's role allows, named as the API names permissions (e.g. "cases:control"). */
  permissions: string[];
}
export type AccountStatus = 'current' | 'delinquent' | 'trace' | 'closed' | 'written_off';
export type AgeingBucket = 'current' | '1-30' | '31-60' | '61-90' | '90+';
export type CaseStage = 'soft' | 'hard' | 'pre_legal' | 'legal' | 'closed';
export interface AccountSummary {
  id: string;
  externalRef: string;
  customer: { id: string; name: string; type: 'retail' | 'corporate' };
  branch: BranchRef;
  segment: { code: string; name: string } | null;
  status: AccountStatus;
  serviceStatus: 'active' | 'suspended' | 'disconnected';
  balance: Money;
  daysPastDue: number;
  ageingBucket: AgeingBucket;
  oldestDueDate: string | null;
  case: { id: string; status: 'open' | 'closed'; stage: CaseStage } | null;
}
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
export interface AccountDetail extends Omit<AccountSummary, 'customer'> {
  /** Why the account is in its segment (the matching criteria). */
  segmentReason: string | null;
  attributes: { riskScore?: number; productType?: string; serviceLevel?: string; hierarchy?: string };
  customer: {
    id: string;
    externalRef: string;
    name: string;
    type: 'retail' | 'corporate';
    timeZone: string;
    contacts: Array<{ id: string; kind: 'email' | 'phone' | 'mobile' | 'address'; value: string; label: string; isPrimary: boolean; optedOut: boolean }>;
    /** The debtor's recorded requests about contact (X1). */
    contactRestrictions: { ceaseCommunicationAt: string | null; attorneyRepresentedAt: string | null; attorneyDetails: string | null };
  };
  /** Credit from over-payments, applied to future invoices (E3). */
  credit: Money;
  invoices: Array<{ id: string; externalRef: string; issuedAt: string; dueDate: string; amount: Money; open: Money; status: string; daysPastDue: number }>;
  payments: Array<{ id: string; externalRef: string; amount: Money; method: string; source: string; receivedAt: string; status: 'posted' | 'reversed'; unapplied: Money; reversedAt: string | null; reversalReason: string | null }>;
  cases: Array<{
    id: string;
    episode: number;
    workflowId: string;
    status: 'open' | 'closed';
    stage: CaseStage;
    closeReason: string | null;
    openedAt: string;
    closedAt: string | null;
    nextAction: string | null;
    nextActionAt: string | null;
    stagesBeforeLegal: number | null;
    temporalUrl: string | null;
    /** X1 facts of the latest case; null for earlier ones. */
    compliance: CaseCompliance | null;
  }>;
  promises: Array<{
    id: string;
    amount: Money;
    dueDate: string;
    status: 'pending' | 'kept' | 'broken' | 'cancelled';
    createdAt: string;
    /** A plan's instalments as stored (statuses as of its resolution; the case's live view has them as they stand). */
    instalments: Array<{ dueDate: string; amount: Money; status: 'pending' | 'kept' | 'broken' }> | null;
  }>;
  activities: Array<{ id: string; kind: string; direction: 'outbound' | 'inbound'; summary: string; outcome: string | null; occurredAt: string; user: { id: string; name: string } | null }>;
  /** Who works the account now or did last, and whether it is postponed or allocated (W3, W4, W7). */
  work?: WorkState;
}
export interface AuditEntry {
  id: string;
  at: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}
export interface Message {
  id: string;
  channel: 'email' | 'sms' | 'letter';
  toAddress: string;
  subject: string | null;
  body: string;
  status: 'queued' | 'sent' | 'delivered' | 'failed' | 'dead';
  provider: string | null;
  accountId: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** What the collector records (C6): a single payment by a date, or a plan of 2–12 instalments, dates ascending. */
export interface PromiseTerms {
  amountMinor: number;
  dueDate: string;
}
export type PromiseRequest = PromiseTerms | { instalments: PromiseTerms[] };
export interface PromiseAccepted {
  promiseId: string;
  caseId: string;
  amountMinor: number;
  dueDate: string;
  breaksOn: string;
  instalments?: PromiseTerms[];
}

/** A case as its workflow reports it (GET /cases/{id}); `live` is false when the stored state is shown. */
export interface CaseView {
  id: string;
  accountId: string;
  accountRef: string;
  episode: number;
  workflowId: string;
  temporalUrl: string | null;
  strategy: { name: string; version: number } | null;
  status: 'open' | 'closed';
  stage: CaseStage;
  closeReason: string | null;
  balance: Money;
  serviceStatus: 'active' | 'suspended' | 'disconnected';
  stepsDone: string[];
  /** `note`: why the contact policy deferred the step (X1), e.g. "Outside contact hours (…)". */
  nextStep: { id: string; action: string; dueAt: string | null; note: string | null } | null;
  stagesBeforeLegal: number | null;
  daysPastDue: number | null;
  promise: {
    id: string;
    amountMinor: number;
    paidMinor: number;
    dueDate: string;
    breaksOn: string;
    instalments: Array<{ amountMinor: number; dueDate: string; status: 'pending' | 'kept' | 'broken' }> | null;
  } | null;
  live: boolean;
  paused: CasePause | null;
  compliance: CaseCompliance;
}

/** X1 on a case: the validation notice and its period (Reg F §1006.34), a time-barred debt (§1006.26(b)). */
export interface CaseCompliance {
  firstContactAt: string | null;
  validationNoticeRequired: boolean;
  validationNoticeSentAt: string | null;
  validationNoticeChannel: 'email' | 'letter' | null;
  /** The last day the debtor may dispute the debt. */
  validationPeriodEndsOn: string | null;
  validationPeriodOpen: boolean;
  timeBarredOn: string | null;
  timeBarredSince: string | null;
}

/** Who sent a message to a case workflow (a user or an API key), as recorded with it. */
export interface Sender {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  name: string;
}
/** A supervisor paused the case: no strategy step runs and nothing is sent until it is resumed. */
export interface CasePause {
  since: string;
  reason: string;
  by: Sender;
}

/** The history inspector (issue 4): one run of the case's workflow as a timeline. */
export type HistoryEventKind =
  | 'started' | 'signal' | 'update_accepted' | 'update_completed' | 'update_rejected'
  | 'timer_started' | 'timer_fired' | 'timer_cancelled'
  | 'activity_scheduled' | 'activity_completed' | 'activity_failed' | 'activity_timed_out'
  | 'workflow_task_failed' | 'marker' | 'continued_as_new' | 'completed' | 'failed' | 'terminated' | 'timed_out' | 'cancelled' | 'other';
export interface HistoryEvent {
  eventId: number;
  at: string;
  kind: HistoryEventKind;
  summary: string;
  name?: string;
  sentBy?: { type: Sender['type']; id: string | null; name: string | null } | null;
  identity?: string;
  attempt?: number;
  firesAt?: string;
  runId?: string;
  relatedEventId?: number;
  details: Record<string, unknown>;
}
export interface WorkflowRun {
  runId: string;
  status: string;
  startedAt: string;
  closedAt: string | null;
  historyLength: number;
  continuedFrom: string | null;
  continuedTo: string | null;
  temporalUrl: string | null;
}
export interface CaseHistory {
  caseId: string;
  accountId: string;
  caseStatus: 'open' | 'closed';
  workflowId: string;
  temporalUrl: string | null;
  runs: WorkflowRun[];
  runId: string | null;
  entries: HistoryEvent[];
  page: number;
  pageSize: number;
  total: number;
  pendingTimers: Array<{ timerId: string; eventId: number; startedAt: string; firesAt: string | null }>;
  pendingActivities: Array<{ activityId: string; type: string; state: string; attempt: number; scheduledAt: string | null; lastStartedAt: string | null; nextAttemptAt: string | null; lastFailure: string | null }>;
  live: { stage: string; status: string; nextStep: { id: string; action: string; dueAt: string; note?: string } | null; paused?: CasePause | null } | null;
}

/** The contact policy (X1): channels, and what it says about one of them on an account now. */
export type ContactChannel = 'call' | 'email' | 'sms' | 'letter' | 'visit';
export type ContactDecision =
  | { kind: 'allowed' }
  | { kind: 'deferred'; until: string; reason: 'outside_contact_hours' | 'attempt_cap' | 'recent_conversation'; explanation: string }
  | { kind: 'blocked'; reason: 'attorney_represented' | 'cease_communication' | 'opted_out'; explanation: string };
export interface ContactPolicy {
  /** Hours in the debtor's local time; weekdays 1 = Monday … 7 = Sunday. */
  window: { startHour: number; endHour: number; weekdays: number[] };
  caps: Partial<Record<ContactChannel, { max: number; days: number }>>;
  quietDaysAfterConversation: number;
  finalNoticeTemplates: string[];
}
export interface ContactStatus {
  policy: ContactPolicy;
  channels: Array<{ channel: ContactChannel } & ContactDecision>;
}
/** The debtor's requests about contact; only what is given changes. */
export interface ContactRestrictionsChange {
  ceaseCommunication?: boolean;
  attorney?: { details: string } | null;
  optOuts?: Array<{ contactId: string; optedOut: boolean }>;
}

export type TemplateChannel = 'email' | 'sms' | 'letter';
export type TemplateTone = 'retail' | 'corporate';
/** A template in effect: an admin's newest saved version, or the built-in default (version null). */
export interface MessageTemplate {
  code: string;
  channel: TemplateChannel;
  tone: TemplateTone;
  subject: string;
  body: string;
  version: number | null;
  builtIn: boolean;
  hasBuiltIn: boolean;
  updatedAt: string | null;
}
export interface MessageTemplateVersion {
  id: string;
  version: number;
  subject: string;
  body: string;
  active: boolean;
  createdById: string | null;
  createdAt: string;
}
export interface MessageTemplateDetail {
  template: MessageTemplate;
  builtInDefault: { subject: string; body: string } | null;
  versions: MessageTemplateVersion[];
}
export interface MessageTemplatePreview {
  subject: string | null;
  body: string;
  length: number;
  problems: Array<{ field: 'subject' | 'body'; message: string }>;
}

/** A segment's criteria (S1, E4): every one given must hold. Balances in minor units. */
export interface SegmentCriteria {
  customerType?: 'retail' | 'corporate';
  minBalanceMinor?: number;
  maxBalanceMinor?: number;
  minDaysPastDue?: number;
  maxDaysPastDue?: number;
  minRiskScore?: number;
  maxRiskScore?: number;
  productTypes?: string[];
  serviceLevels?: string[];
  branchCodes?: string[];
  hierarchyPrefix?: string;
}
export interface Segment {
  id: string;
  code: string;
  name: string;
  priority: number;
  criteria: SegmentCriteria;
  strategies: Array<{ id: string; version: number; name: string; status: 'draft' | 'active' | 'retired'; trafficPercent: number }>;
}
/** S6: a segment's strategy versions and how their cases have done (GET /segments/{id}/performance); the figures as domain/strategy-performance.ts makes them. */
export interface StrategyPerformance {
  segment: { id: string; code: string; name: string };
  championId: string | null;
  generatedAt: string;
  arms: Array<
    ArmFigures & {
      strategy: { id: string; version: number; name: string; status: 'draft' | 'active' | 'retired'; trafficPercent: number };
      isChampion: boolean;
      comparison: ArmComparison | null;
    }
  >;
}

export interface SegmentProposals {
  currency: string | null;
  accountsConsidered: number;
  proposals: Array<{ code: string; name: string; criteria: SegmentCriteria; priority: number; accountCount: number; totalBalance: Money }>;
}
export interface DelinquencyImport {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  format: 'csv' | 'ndjson';
  filename: string | null;
  totalRows: number;
  processedRows: number;
  succeededRows: number;
  failedRows: number;
  percentDone: number;
  casesOpened: number;
  rowsPerSecond: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  errorsUrl: string;
}

export interface ImportRowError {
  rowNumber: number;
  accountRef: string | null;
  code: string;
  message: string;
  field: string | null;
}

// The supervisor console (W5, R1, R5, W8) and the bucket's summary and saved views (W1).
export type CollectorStatus = 'working' | 'idle' | 'offline';
export interface CountedAmounts {
  count: number;
  /** Sum per currency. */
  amounts: Money[];
}
export interface TeamBoardRow {
  user: { id: string; name: string; branchCode: string | null };
  accountsWorked: number;
  contacts: number;
  rightPartyContacts: number;
  promises: CountedAmounts;
  payments: CountedAmounts;
  nowWorkingOn: { accountId: string; accountRef: string; since: string } | null;
  idleMinutes: number;
  /** null for days that do not include today. */
  status: CollectorStatus | null;
  statusSince: string | null;
}
export interface TeamBoard {
  from: string;
  to: string;
  live: boolean;
  generatedAt: string;
  rows: TeamBoardRow[];
  totals: {
    collectors: number;
    working: number;
    idle: number;
    offline: number;
    accountsWorked: number;
    contacts: number;
    rightPartyContacts: number;
    promises: CountedAmounts;
    payments: CountedAmounts;
    idleMinutes: number;
  };
}
export interface SummaryGroup {
  /** The filter value selecting the group; null when it cannot be selected. */
  key: string | null;
  label: string;
  count: number;
  balances: Money[];
}
export interface BucketSummary {
  total: SummaryGroup;
  byAgeingBucket: SummaryGroup[];
  byBranch: SummaryGroup[];
  bySegment: SummaryGroup[];
  byStage: SummaryGroup[];
}
export interface SavedView {
  id: string;
  name: string;
  /** The bucket's filters, by their API names. */
  query: Record<string, string | number>;
  shared: boolean;
  mine: boolean;
  owner: { id: string; name: string };
  createdAt: string;
}
export interface WorkState {
  leasedBy: { userId: string; name: string; since: string; expiresAt: string } | null;
  lastWorked: { userId: string; name: string; at: string } | null;
  postponedUntil: string | null;
  allocatedTo: { userId: string; name: string } | null;
}
export type ContactKind = 'email' | 'phone' | 'mobile' | 'address';
export interface Contact {
  id: string;
  kind: ContactKind;
  value: string;
  label: string;
  isPrimary: boolean;
  optedOut: boolean;
}
export type ContactOutcome = 'reached' | 'no_answer' | 'wrong_number' | 'promise' | 'refusal' | 'dispute' | 'callback_requested';
export type OutcomeChannel = 'call' | 'visit' | 'email' | 'sms' | 'inbound';
export interface ContactOutcomeRequest {
  channel: OutcomeChannel;
  outcome: ContactOutcome;
  contactId?: string | null;
  note?: string | null;
  promise?: PromiseRequest | null;
  callbackAt?: string | null;
  disputedInvoiceRefs?: string[] | null;
  clientRequestId: string;
}
export interface ContactOutcomeRecorded {
  activityId: string;
  accountId: string;
  channel: OutcomeChannel;
  outcome: ContactOutcome;
  rightPartyContact: boolean;
  summary: string;
  effect:
    | { kind: 'none' }
    | { kind: 'promise'; caseId: string; promiseId: string; amountMinor: string; dueDate: string; breaksOn: string; instalments: Array<{ amountMinor: string; dueDate: string }> | null }
    | { kind: 'postponed'; caseId: string; until: string }
    | { kind: 'dispute'; caseId: string | null; disputedMinor: string; balanceMinor: string }
    | { kind: 'contact_failed'; caseNotified: boolean; contactMarkedWrong: boolean; traceSuggested: boolean };
  replayed: boolean;
}
export type TimelineKind = 'contact' | 'field_visit' | 'note' | 'message' | 'payment' | 'promise' | 'dispute' | 'strategy_step' | 'status_change' | 'contact_change';
export interface TimelineEntry {
  id: string;
  kind: TimelineKind;
  at: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; name: string };
  summary: string;
  detail: { kind: TimelineKind; [field: string]: unknown };
}
export interface TimelinePage {
  items: TimelineEntry[];
  nextCursor: string | null;
}
export interface AccountTemplate {
  code: string;
  channel: TemplateChannel;
  subject: string | null;
}

export type DataRequestKind = 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection';

/** A GDPR data-subject request (X1): due one calendar month after receipt, extendable once by up to two. */
export interface DataRequest {
  id: string;
  customer: { id: string; externalRef: string; name: string; pseudonymised: boolean };
  kind: DataRequestKind;
  status: 'open' | 'completed' | 'refused';
  details: string;
  receivedAt: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  currentDueOn: string;
  dueState: 'overdue' | 'due_soon' | 'on_time' | 'answered';
  handledById: string | null;
  completedAt: string | null;
  response: string | null;
  /** An erasure's record: what was erased now, what is kept and why. */
  result: { eraseNow?: boolean; erased?: string[]; kept?: Array<{ what: string; why: string }>; keptUntil?: string | null } | null;
}
