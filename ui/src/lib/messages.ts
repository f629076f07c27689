// What a person reads for each of the API's error codes (the same codes as the problem documents).
const byCode: Record<string, string> = {
  invalid_credentials: 'Email or password is wrong.',
  validation_failed: 'Some fields are not valid.',
  rate_limited: 'Too many attempts. Wait a few minutes and try again.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  forbidden: 'You do not have access to this.',
  not_found: 'This record does not exist, or it is not in your branch.',
  csrf_failed: 'Your session is out of date. Reload the page and try again.',
  network_error: 'The server cannot be reached. Check your connection and try again.',
  internal_error: 'Something went wrong on our side. It has been logged.',
  promise_refused: 'The case cannot accept this promise.',
  promise_already_pending: 'A promise to pay is already pending on this case.',
  no_open_case: 'This account has no open collection case.',
  template_invalid: 'The template cannot be saved: see the reasons below.',
  empty_file: 'The file is empty.',
  missing_columns: 'The CSV header lacks required columns.',
  invalid_file: 'This is not a text file.',
  payload_too_large: 'The file is too large to import.',
  unsupported_media_type: 'Choose a .csv file, or JSON lines (.ndjson, .jsonl).',
  conflict: 'Someone else changed this at the same time. Reload and try again.',
  postpone_refused: 'The case cannot take this callback time: it must be in the future and within 90 days.',
  contact_exists: 'This contact is already on file.',
  idempotency_conflict: 'This action is still being recorded. Wait a moment.',
  messaging_unavailable: 'Messages cannot be sent right now. Try again shortly.',
  already_paused: 'This case is already paused.',
  not_paused: 'This case is not paused.',
  case_closed: 'This case is closed.',
  opted_out: 'This address has opted out of messages: ask the customer for another.',
  card_processing_unavailable: 'Card payments are not available right now: take another way to pay, or try again later.',
  invalid_state: 'This cannot be done in the record’s current state. Reload and check.',
  offline_never_signed_in: 'Connect once and sign in; after that the field app works offline.',
  request_closed: 'This request has already been answered.',
  extension_refused: 'The request cannot be extended: see the reasons below.',
};

export function messageFor(error: unknown): string {
  if (!error || typeof error !== 'object') return 'Something went wrong.';
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  const detail = 'detail' in error && typeof error.detail === 'string' ? error.detail : '';
  return byCode[code] ?? (detail || 'Something went wrong.');
}

/** Why a promise was refused, for each reason the case gives. */
export const promiseReasons: Record<string, string> = {
  amount_not_positive: 'The amount must be more than zero.',
  amount_exceeds_balance: 'The amount is more than the balance owed.',
  date_in_past: 'The date is in the past.',
  date_too_far: "The date is too far away: a single payment within 30 days, a plan's last instalment within 180 days.",
  dates_not_ascending: 'Each instalment must fall after the one before it.',
  instalment_not_positive: 'Every instalment must be more than zero.',
  too_few_instalments: 'A plan needs at least 2 instalments.',
  too_many_instalments: 'A plan can have at most 12 instalments.',
  promise_already_pending: 'A promise to pay is already pending on this case.',
};

/** Why the contact policy holds or stops contact on a channel (X1), in a few words. */
export const contactReasons: Record<string, string> = {
  outside_contact_hours: 'Outside contact hours',
  attempt_cap: 'Attempt limit reached',
  recent_conversation: 'Recent conversation',
  cease_communication: 'Asked us to stop contact',
  attorney_represented: 'Represented by a lawyer',
  opted_out: 'Opted out',
  time_barred: 'Time-barred debt',
};

/** Why a contact action was refused: the contact policy's explanation when it gave one, otherwise the code's message. */
export function refusalFor(error: unknown): string {
  const policyCodes = Object.keys(contactReasons);
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string' && policyCodes.includes(error.code)) {
    const detail = 'detail' in error && typeof error.detail === 'string' ? error.detail : '';
    return `${contactReasons[error.code]}: ${detail}`;
  }
  if (error && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors) && error.errors.length && 'code' in error && (error.code === 'outcome_invalid' || error.code === 'contact_invalid' || error.code === 'validation_failed')) {
    return (error.errors as Array<{ message: string }>).map((e) => e.message).join('; ');
  }
  return messageFor(error);
}

/**
 * For refusals whose detail is written for the person at hand (the field app's receipt sending: "the
 * customer has no email address on file; enter one"): the server's words, else the code's message.
 */
export function refusalInServerWords(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && error.code === 'validation_failed' && 'detail' in error && typeof error.detail === 'string' && error.detail) {
    return error.detail.charAt(0).toUpperCase() + error.detail.slice(1);
  }
  return messageFor(error);
}
