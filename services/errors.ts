// Failures a caller can act on, each with a stable machine-readable code. The API turns them into
// RFC 9457 problem documents; the UI shows a message keyed by the same code.

export type ServiceErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'idempotency_conflict'
  | 'unknown_branch'
  | 'currency_mismatch'
  | 'account_customer_mismatch'
  | 'invalid_state'
  | 'promise_refused'
  | 'postpone_refused'
  | 'no_open_case'
  | 'adjustment_refused'
  | 'validation_failed'
  | 'template_invalid'
  | 'account_leased'
  | 'not_leased'
  | 'saved_view_name_taken'
  | 'promise_already_pending'
  | 'outcome_invalid'
  | 'contact_invalid'
  | 'contact_exists'
  | 'already_paused'
  | 'not_paused'
  | 'case_closed'
  | 'request_closed'
  | 'extension_refused'
  | 'selection_too_large'
  | ContactPolicyRefusal;

/** The contact policy's reasons (domain/contact-rules.ts), as codes of a refused contact (X1: explained). */
export type ContactPolicyRefusal = 'outside_contact_hours' | 'attempt_cap' | 'recent_conversation' | 'cease_communication' | 'attorney_represented' | 'opted_out' | 'time_barred';

const statusByCode: Record<ServiceErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  idempotency_conflict: 409,
  unknown_branch: 422,
  currency_mismatch: 422,
  account_customer_mismatch: 409,
  invalid_state: 409,
  promise_refused: 422,
  postpone_refused: 422,
  no_open_case: 409,
  adjustment_refused: 422,
  validation_failed: 400,
  template_invalid: 422,
  account_leased: 409,
  not_leased: 409,
  saved_view_name_taken: 409,
  promise_already_pending: 409,
  outcome_invalid: 422,
  contact_invalid: 422,
  contact_exists: 409,
  outside_contact_hours: 422,
  attempt_cap: 422,
  recent_conversation: 422,
  cease_communication: 422,
  attorney_represented: 422,
  opted_out: 422,
  time_barred: 422,
  already_paused: 409,
  not_paused: 409,
  case_closed: 409,
  request_closed: 409,
  extension_refused: 422,
  selection_too_large: 422,
};

export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** Field-level reasons, shown as the problem document's `errors`. */
    readonly errors?: Array<{ path: string; message: string }>,
    /** Structured facts the caller can act on (e.g. who holds a lease), added to the problem document. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServiceError';
    this.status = statusByCode[code];
  }
}
