// Checks requests the way Twilio's Messages API does (POST /2010-04-01/Accounts/{Sid}/Messages.json,
// HTTP Basic auth with the Account SID and auth token, form-encoded To, From and Body) and answers as it
// does: 201 with the message resource, or Twilio's error JSON (20003 auth, 21211 invalid To,
// 21610 recipient replied STOP, 21602 missing body).
import { randomBytes } from 'node:crypto';
import { HttpFake, type RecordedRequest, type Reply } from './http-fake.ts';

const e164 = /^\+[1-9]\d{7,14}$/;

export function twilioFake(accountSid: string, authToken: string, optedOut: Set<string> = new Set()): HttpFake {
  const error = (status: number, code: number, message: string): Reply => ({ status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });
  return new HttpFake((req: RecordedRequest): Reply => {
    const expectedPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    if (req.method !== 'POST' || req.path !== expectedPath) return error(404, 20404, 'The requested resource was not found');
    const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expectedAuth) return error(401, 20003, 'Authenticate');
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return error(400, 20001, 'Unsupported content type');
    const form = new URLSearchParams(req.body);
    const to = form.get('To') ?? '';
    if (!e164.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!form.get('From') && !form.get('MessagingServiceSid')) return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
    if (!form.get('Body')) return error(400, 21602, 'Message body is required.');
    if (optedOut.has(to)) return error(400, 21610, 'Attempt to send to unsubscribed recipient');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString();
    return {
      status: 201,
      body: { sid, account_sid: accountSid, to, from: form.get('From'), body: form.get('Body'), status: 'queued', num_segments: '1', direction: 'outbound-api', api_version: '2010-04-01', date_created: now, date_updated: now, date_sent: null, error_code: null, error_message: null, price: null, uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json` },
    };
  });
}
