// The one place the UI talks to the API: typed calls per endpoint, the CSRF header on unsafe
// requests, and problem documents turned into ApiError with the API's stable `code`.
import type { DataRequest, DataRequestKind, AccountDetail, AccountSummary, AuditEntry, BranchRef, CaseHistory, CasePause, BucketSummary, SavedView, TeamBoard, CaseView, ContactRestrictionsChange, ContactStatus, DelinquencyImport, ImportRowError, Me, Message, MessageTemplate, MessageTemplateDetail, MessageTemplatePreview, MessageTemplateVersion, Page, PromiseAccepted, PromiseRequest, Segment, SegmentCriteria, SegmentProposals, StrategyPerformance, TemplateChannel, TemplateTone, AccountTemplate, Contact, ContactKind, ContactOutcomeRecorded, ContactOutcomeRequest, TimelineKind, TimelinePage } from './types.ts';

type Fetch = typeof fetch;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: Array<{ path: string; message: string }> = [],
  ) {
    super(detail || code);
  }
}

let csrfToken = '';
export function rememberCsrfToken(token: string) {
  csrfToken = token;
}

export async function call<T>(fetcher: Fetch, method: string, path: string, body?: unknown, file?: { contentType: string; content: Blob }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (file) headers['content-type'] = file.contentType;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetcher(`/api/v1${path}`, { method, headers, body: file ? file.content : body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.code ?? 'http_error', data?.detail ?? res.statusText, data?.errors ?? []);
  return data as T;
}

export interface AccountQuery {
  q?: string;
  status?: string;
  branchId?: string;
  customerType?: string;
  caseStatus?: string;
  ageingBucket?: string;
  segmentId?: string;
  stage?: string;
  worked?: string;
  minDaysPastDue?: number;
  maxDaysPastDue?: number;
  sort?: string;
  order?: string;
  page?: number;
  pageSize?: number;
}

function query(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '' && value !== null) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  login: (email: string, password: string, fetcher: Fetch = fetch) => call<Me>(fetcher, 'POST', '/auth/login', { email, password }),
  me: (fetcher: Fetch = fetch) => call<Me>(fetcher, 'GET', '/auth/me'),
  logout: (fetcher: Fetch = fetch) => call<void>(fetcher, 'POST', '/auth/logout'),
  branches: (fetcher: Fetch = fetch) => call<{ items: BranchRef[] }>(fetcher, 'GET', '/branches'),
  accounts: (params: AccountQuery, fetcher: Fetch = fetch) => call<Page<AccountSummary>>(fetcher, 'GET', `/accounts${query(params)}`),
  bucketSummary: (params: AccountQuery, fetcher: Fetch = fetch) => call<BucketSummary>(fetcher, 'GET', `/accounts/summary${query({ ...params, sort: undefined, order: undefined, page: undefined, pageSize: undefined })}`),
  neverWorkedAccounts: (params: AccountQuery, fetcher: Fetch = fetch) => call<Page<AccountSummary>>(fetcher, 'GET', `/accounts/never-worked${query({ ...params, worked: undefined })}`),
  traceAccounts: (params: AccountQuery, fetcher: Fetch = fetch) => call<Page<AccountSummary>>(fetcher, 'GET', `/accounts/trace${query({ ...params, status: undefined })}`),
  savedViews: (fetcher: Fetch = fetch) => call<{ items: SavedView[] }>(fetcher, 'GET', '/saved-views'),
  createSavedView: (view: { name: string; query: Record<string, string | number>; shared: boolean }, fetcher: Fetch = fetch) => call<SavedView>(fetcher, 'POST', '/saved-views', view),
  deleteSavedView: (id: string, fetcher: Fetch = fetch) => call<void>(fetcher, 'DELETE', `/saved-views/${encodeURIComponent(id)}`),
  teamBoard: (params: { date?: string; from?: string; to?: string; branchId?: string }, fetcher: Fetch = fetch) => call<TeamBoard>(fetcher, 'GET', `/team/board${query(params)}`),
  /**
   * Today's board, live (Server-Sent Events): `onBoard` with each new board, `onConnection` when the
   * connection goes live or drops (EventSource reconnects by itself; after a refusal we retry). Returns a closer.
   */
  streamTeamBoard: (params: { branchId?: string }, handlers: { onBoard: (board: TeamBoard) => void; onConnection: (state: 'live' | 'reconnecting') => void }) => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      source = new EventSource(`/api/v1/team/board/stream${query(params)}`, { withCredentials: true });
      source.onopen = () => handlers.onConnection('live');
      source.addEventListener('board', (event) => handlers.onBoard(JSON.parse((event as MessageEvent<string>).data) as TeamBoard));
      source.onerror = () => {
        handlers.onConnection('reconnecting');
        if (source?.readyState === EventSource.CLOSED) retry = setTimeout(open, 5_000);
      };
    };
    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  },
  account: (id: string, fetcher: Fetch = fetch) => call<AccountDetail>(fetcher, 'GET', `/accounts/${encodeURIComponent(id)}`),
  accountAudit: (id: string, fetcher: Fetch = fetch) => call<{ items: AuditEntry[] }>(fetcher, 'GET', `/accounts/${encodeURIComponent(id)}/audit`),
  recordPromise: (accountId: string, promise: PromiseRequest, fetcher: Fetch = fetch) => call<PromiseAccepted>(fetcher, 'POST', `/accounts/${encodeURIComponent(accountId)}/promises`, promise),
  case: (id: string, fetcher: Fetch = fetch) => call<CaseView>(fetcher, 'GET', `/cases/${encodeURIComponent(id)}`),
  caseHistory: (id: string, params: { runId?: string; page?: number; pageSize?: number }, fetcher: Fetch = fetch) => call<CaseHistory>(fetcher, 'GET', `/cases/${encodeURIComponent(id)}/history${query(params)}`),
  pauseCase: (id: string, reason: string, fetcher: Fetch = fetch) => call<{ caseId: string; paused: CasePause }>(fetcher, 'POST', `/cases/${encodeURIComponent(id)}/pause`, { reason }),
  resumeCase: (id: string, fetcher: Fetch = fetch) => call<{ caseId: string; resumedAt: string; pausedSince: string }>(fetcher, 'POST', `/cases/${encodeURIComponent(id)}/resume`),
  contactStatus: (accountId: string, fetcher: Fetch = fetch) => call<ContactStatus>(fetcher, 'GET', `/accounts/${encodeURIComponent(accountId)}/contact-status`),
  setContactRestrictions: (accountId: string, change: ContactRestrictionsChange, fetcher: Fetch = fetch) => call<unknown>(fetcher, 'PUT', `/accounts/${encodeURIComponent(accountId)}/contact-restrictions`, change),
  /** The file as the body: text/csv, or application/x-ndjson for JSON lines (docs/imports.md). */
  importDelinquencies: (file: File, fetcher: Fetch = fetch) =>
    call<{ id: string; status: string; location: string }>(fetcher, 'POST', `/delinquencies/imports${query({ filename: file.name })}`, undefined, { contentType: /\.(ndjson|jsonl)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv', content: file }),
  importStatus: (id: string, fetcher: Fetch = fetch) => call<DelinquencyImport>(fetcher, 'GET', `/delinquencies/imports/${encodeURIComponent(id)}`),
  importErrors: (id: string, page: number, fetcher: Fetch = fetch) => call<Page<ImportRowError>>(fetcher, 'GET', `/delinquencies/imports/${encodeURIComponent(id)}/errors${query({ page, pageSize: 25 })}`),
  importErrorsCsvUrl: (id: string) => `/api/v1/delinquencies/imports/${encodeURIComponent(id)}/errors?format=csv`,
  messages: (params: { channel?: string; status?: string; q?: string; page?: number; pageSize?: number }, fetcher: Fetch = fetch) => call<Page<Message>>(fetcher, 'GET', `/messages${query(params)}`),
  templates: (fetcher: Fetch = fetch) => call<{ items: MessageTemplate[]; placeholders: string[] }>(fetcher, 'GET', '/templates'),
  template: (key: TemplateKey, fetcher: Fetch = fetch) => call<MessageTemplateDetail>(fetcher, 'GET', templatePath(key)),
  saveTemplateVersion: (key: TemplateKey, text: { subject: string; body: string }, fetcher: Fetch = fetch) => call<MessageTemplateVersion>(fetcher, 'POST', `${templatePath(key)}/versions`, text),
  segments: (fetcher: Fetch = fetch) => call<{ items: Segment[] }>(fetcher, 'GET', '/segments'),
  segmentProposals: (fetcher: Fetch = fetch) => call<SegmentProposals>(fetcher, 'GET', '/segments/proposals'),
  strategyPerformance: (segmentId: string, fetcher: Fetch = fetch) => call<StrategyPerformance>(fetcher, 'GET', `/segments/${segmentId}/performance`),
  createSegment: (segment: { code: string; name: string; priority: number; criteria: SegmentCriteria }, fetcher: Fetch = fetch) => call<{ id: string }>(fetcher, 'POST', '/segments', segment),
  timeline: (accountId: string, params: { cursor?: string; limit?: number; kinds?: TimelineKind[] }, fetcher: Fetch = fetch) =>
    call<TimelinePage>(fetcher, 'GET', `${accountPath(accountId)}/timeline${query({ cursor: params.cursor, limit: params.limit, kinds: params.kinds?.join(',') })}`),
  recordContactOutcome: (accountId: string, outcome: ContactOutcomeRequest, fetcher: Fetch = fetch) => call<ContactOutcomeRecorded>(fetcher, 'POST', `${accountPath(accountId)}/contact-outcomes`, outcome),
  addContact: (accountId: string, contact: { kind: ContactKind; value: string; label?: string; isPrimary?: boolean }, fetcher: Fetch = fetch) => call<Contact>(fetcher, 'POST', `${accountPath(accountId)}/contacts`, contact),
  updateContact: (accountId: string, contactId: string, change: { value?: string; label?: string; isPrimary?: boolean; optedOut?: boolean }, fetcher: Fetch = fetch) =>
    call<Contact>(fetcher, 'PATCH', `${accountPath(accountId)}/contacts/${encodeURIComponent(contactId)}`, change),
  removeContact: (accountId: string, contactId: string, fetcher: Fetch = fetch) => call<void>(fetcher, 'DELETE', `${accountPath(accountId)}/contacts/${encodeURIComponent(contactId)}`),
  markForTrace: (accountId: string, reason: string, fetcher: Fetch = fetch) => call<{ status: string }>(fetcher, 'POST', `${accountPath(accountId)}/trace`, { reason }),
  clearTrace: (accountId: string, fetcher: Fetch = fetch) => call<{ status: string }>(fetcher, 'DELETE', `${accountPath(accountId)}/trace`),
  addNote: (accountId: string, text: string, fetcher: Fetch = fetch) => call<{ id: string }>(fetcher, 'POST', `${accountPath(accountId)}/notes`, { text }),
  accountTemplates: (accountId: string, fetcher: Fetch = fetch) => call<{ items: AccountTemplate[] }>(fetcher, 'GET', `${accountPath(accountId)}/message-templates`),
  sendTemplateMessage: (accountId: string, message: { templateCode: string; channel: TemplateChannel; contactId?: string; clientRequestId: string }, fetcher: Fetch = fetch) =>
    call<{ messageId: string; created: boolean; to: string }>(fetcher, 'POST', `${accountPath(accountId)}/messages`, message),
  dataRequests: (params: { status?: string; due?: string; kind?: string; page?: number; pageSize?: number }, fetcher: Fetch = fetch) => call<Page<DataRequest>>(fetcher, 'GET', `/data-subject-requests${query(params)}`),
  createDataRequest: (request: { customerRef: string; kind: DataRequestKind; receivedAt?: string; details?: string }, fetcher: Fetch = fetch) => call<DataRequest>(fetcher, 'POST', '/data-subject-requests', request),
  extendDataRequest: (id: string, extension: { months: number; reason: string }, fetcher: Fetch = fetch) => call<DataRequest>(fetcher, 'POST', `/data-subject-requests/${encodeURIComponent(id)}/extend`, extension),
  completeDataRequest: (id: string, answer: { outcome: 'completed' | 'refused'; response: string }, fetcher: Fetch = fetch) => call<DataRequest>(fetcher, 'POST', `/data-subject-requests/${encodeURIComponent(id)}/complete`, answer),
  dataRequestExportUrl: (id: string) => `/api/v1/data-subject-requests/${encodeURIComponent(id)}/export`,
  previewTemplate: (draft: { channel: TemplateChannel; tone: TemplateTone; subject?: string; body: string }, fetcher: Fetch = fetch) => call<MessageTemplatePreview>(fetcher, 'POST', '/templates/preview', draft),
};

export interface TemplateKey {
  code: string;
  channel: TemplateChannel;
  tone: TemplateTone;
}

function accountPath(accountId: string): string {
  return `/accounts/${encodeURIComponent(accountId)}`;
}

function templatePath(key: TemplateKey): string {
  return `/templates/${encodeURIComponent(key.code)}/${key.channel}/${key.tone}`;
}
