// Contact-policy rules that apply to every message, whatever strategy sent it (X1).
// Every email and SMS carries a simple way to opt out; the SMS wording is the one carriers and the
// CFPB expect ("Reply STOP"), and a STOP reply is honoured by marking the contact opted out.

export type Channel = 'email' | 'sms' | 'letter';

export const smsOptOutLine = 'Reply STOP to opt out.';
export const emailOptOutLine = 'To stop receiving these emails, reply with "unsubscribe" or call us; we will honour your request.';

/** The body as sent: the opt-out notice is appended once, whatever the template said. */
export function withOptOutNotice(channel: Channel, body: string): string {
  const trimmed = body.trimEnd();
  if (channel === 'sms') return trimmed.endsWith(smsOptOutLine) ? trimmed : `${trimmed} ${smsOptOutLine}`;
  if (channel === 'email') return trimmed.includes(emailOptOutLine) ? trimmed : `${trimmed}\n\n--\n${emailOptOutLine}`;
  return trimmed;
}

/** Inbound words that mean "stop contacting me on this channel" (carrier-standard keywords). */
const stopWords = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);

export function isOptOutReply(text: string): boolean {
  return stopWords.has(text.trim().toUpperCase().replace(/[^A-Z]/g, ''));
}
