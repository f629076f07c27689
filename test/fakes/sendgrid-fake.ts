// Checks requests the way SendGrid's v3 Mail Send API does (POST /v3/mail/send, Bearer API key,
// JSON body with personalizations, from, subject and content) and answers as it does:
// 202 with X-Message-Id, or 400/401 with SendGrid's `{ errors: [{ message, field }] }`.
import { randomBytes } from 'node:crypto';
import { HttpFake, type RecordedRequest, type Reply } from './http-fake.ts';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function sendGridFake(apiKey: string): HttpFake {
  return new HttpFake((req: RecordedRequest): Reply => {
    if (req.method !== 'POST' || req.path !== '/v3/mail/send') return { status: 404, body: { errors: [{ message: 'Not found', field: null }] } };
    if (req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: { errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }] } };
    if (!String(req.headers['content-type']).startsWith('application/json')) return { status: 415, body: { errors: [{ message: 'Content-Type should be application/json.', field: null }] } };
    let mail: { personalizations?: Array<{ to?: Array<{ email?: string }> }>; from?: { email?: string }; subject?: string; content?: Array<{ type?: string; value?: string }> };
    try {
      mail = JSON.parse(req.body);
    } catch {
      return { status: 400, body: { errors: [{ message: 'Bad Request', field: null }] } };
    }
    const errors: Array<{ message: string; field: string }> = [];
    const recipients = mail.personalizations?.flatMap((p) => p.to ?? []) ?? [];
    if (!recipients.length) errors.push({ message: 'The personalizations field is required and must have at least one personalization.', field: 'personalizations' });
    for (const r of recipients) if (!emailPattern.test(r.email ?? '')) errors.push({ message: 'Does not contain a valid address.', field: 'personalizations.0.to.0.email' });
    if (!emailPattern.test(mail.from?.email ?? '')) errors.push({ message: 'The from email does not contain a valid address.', field: 'from.email' });
    if (!mail.subject) errors.push({ message: 'The subject is required.', field: 'subject' });
    if (!mail.content?.length || mail.content.some((c) => !c.type || !c.value)) errors.push({ message: 'The content value must be a string at least one character in length.', field: 'content.0.value' });
    if (errors.length) return { status: 400, body: { errors } };
    return { status: 202, headers: { 'X-Message-Id': randomBytes(11).toString('base64url') } };
  });
}
