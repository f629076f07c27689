// Checks requests the way SendGrid's v3 Mail Send API does and answers as it does, so that the
// real @sendgrid/mail client can be tested without the network:
//   POST /v3/mail/send, `Authorization: Bearer <key>` (401 `authorization required` / invalid grant),
//   `Content-Type: application/json`, a body with personalizations[].to[].email, from.email, subject
//   and content[] of { type, value } (400 with `{ errors: [{ message, field, help }] }`),
//   202 with an empty body and an `X-Message-Id` header when accepted.
import { randomBytes } from 'node:crypto';
import { HttpFake, type RecordedRequest, type Reply } from './http-fake.ts';

const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

export interface SendGridMail {
  personalizations?: Array<{ to?: Array<{ email?: string; name?: string }> }>;
  from?: { email?: string; name?: string };
  subject?: string;
  content?: Array<{ type?: string; value?: string }>;
  custom_args?: Record<string, string>;
}

const errorReply = (status: number, errors: Array<Partial<SendGridError> & { message: string }>): Reply => ({
  status,
  body: { errors: errors.map((e) => ({ field: null, help: null, ...e })) },
});

export class SendGridFake extends HttpFake {
  constructor(readonly apiKey: string) {
    super();
  }

  protected override handle(req: RecordedRequest): Reply {
    return check(req, this.apiKey);
  }

  protected override failureReply(status: number): Reply {
    return errorReply(status, [{ message: status === 429 ? 'too many requests' : 'Internal server error' }]);
  }

  /** The accepted mails, parsed. */
  get mails(): SendGridMail[] {
    return this.accepted.map((r) => JSON.parse(r.body) as SendGridMail);
  }
}

function check(req: RecordedRequest, apiKey: string): Reply {
  if (req.method !== 'POST' || req.path !== '/v3/mail/send') return errorReply(404, [{ message: 'Not found' }]);
  const auth = req.headers.authorization;
  if (!auth) return errorReply(401, [{ message: 'authorization required' }]);
  if (auth !== `Bearer ${apiKey}`) return errorReply(401, [{ message: 'The provided authorization grant is invalid, expired, or revoked' }]);
  if (!String(req.headers['content-type']).startsWith('application/json')) return errorReply(415, [{ message: 'Content-Type should be application/json.' }]);
  let mail: SendGridMail;
  try {
    mail = JSON.parse(req.body) as SendGridMail;
  } catch {
    return errorReply(400, [{ message: 'Bad Request', field: null }]);
  }
  const errors: Array<{ message: string; field: string }> = [];
  if (!Array.isArray(mail.personalizations) || mail.personalizations.length === 0) {
    errors.push({ message: 'The personalizations field is required and must have at least one personalization.', field: 'personalizations' });
  } else {
    mail.personalizations.forEach((p, i) => {
      if (!Array.isArray(p.to) || p.to.length === 0) errors.push({ message: 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.', field: `personalizations.${i}.to` });
      else p.to.forEach((r, j) => {
        if (!emailPattern.test(r.email ?? '')) errors.push({ message: 'Does not contain a valid address.', field: `personalizations.${i}.to.${j}.email` });
      });
    });
  }
  if (!mail.from?.email) errors.push({ message: 'The from object must be provided for every email send. It is an object that requires an email parameter, but may also contain a name parameter.', field: 'from' });
  else if (!emailPattern.test(mail.from.email)) errors.push({ message: 'The from email does not contain a valid address.', field: 'from.email' });
  if (typeof mail.subject !== 'string' || mail.subject.trim() === '') errors.push({ message: 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.', field: 'subject' });
  if (!Array.isArray(mail.content) || mail.content.length === 0) errors.push({ message: 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.', field: 'content' });
  else mail.content.forEach((c, i) => {
    if (typeof c.type !== 'string' || !c.type) errors.push({ message: 'The content type must be provided.', field: `content.${i}.type` });
    if (typeof c.value !== 'string' || !c.value) errors.push({ message: 'The content value must be a string at least one character in length.', field: `content.${i}.value` });
  });
  if (errors.length) return errorReply(400, errors);
  return { status: 202, headers: { 'X-Message-Id': randomBytes(16).toString('base64url').slice(0, 22) } };
}
