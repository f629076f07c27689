// Checks requests the way Twilio's Messages API does and answers as it does, so that the real
// `twilio` client can be tested without the network:
//   POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth `sid:token` (401, code 20003),
//   form-encoded To, From or MessagingServiceSid, and Body; errors in Twilio's JSON shape
//   `{ code, message, more_info, status }`: 21211 invalid To, 21212 invalid From, 21603 no sender,
//   21602 no body, 21617 body too long, 21610 recipient replied STOP (numbers in `optedOut`);
//   201 with the Message resource (sid `SM…`, status `queued`) when accepted.
import { randomBytes } from 'node:crypto';
import { HttpFake, type RecordedRequest, type Reply } from './http-fake.ts';

const e164 = /^\+[1-9]\d{7,14}$/;
const alphanumericSender = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

const errorReply = (status: number, code: number, message: string): Reply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

export interface TwilioSms {
  To: string;
  From: string | null;
  MessagingServiceSid: string | null;
  Body: string;
}

export class TwilioFake extends HttpFake {
  /** Numbers that replied STOP: sending to them is refused with 21610. */
  readonly optedOut = new Set<string>();

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {
    super();
  }

  protected override failureReply(status: number): Reply {
    if (status === 429) return errorReply(429, 20429, 'Too Many Requests');
    if (status === 503) return errorReply(503, 20503, 'Service Unavailable');
    return errorReply(status, 20500, 'Internal Server Error');
  }

  /** The accepted messages, parsed from their form bodies. */
  get messages(): TwilioSms[] {
    return this.accepted.map((r) => {
      const form = new URLSearchParams(r.body);
      return { To: form.get('To') ?? '', From: form.get('From'), MessagingServiceSid: form.get('MessagingServiceSid'), Body: form.get('Body') ?? '' };
    });
  }

  protected override handle(req: RecordedRequest): Reply {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
    if (req.method !== 'POST' || !match) return errorReply(404, 20404, 'The requested resource was not found');
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`) return errorReply(401, 20003, 'Authenticate');
    if (match[1] !== this.accountSid) return errorReply(404, 20404, `The requested resource /2010-04-01/Accounts/${match[1]}/Messages.json was not found`);
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return errorReply(400, 20001, 'Unsupported content type');
    const form = new URLSearchParams(req.body);
    const to = form.get('To') ?? '';
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    if (!to) return errorReply(400, 21604, "A 'To' phone number is required.");
    if (!e164.test(to)) return errorReply(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from && !service) return errorReply(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    if (from && !e164.test(from) && !alphanumericSender.test(from)) return errorReply(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    if (!body) return errorReply(400, 21602, 'Message body is required.');
    if (body.length > 1600) return errorReply(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (this.optedOut.has(to)) return errorReply(400, 21610, 'Attempt to send to unsubscribed recipient');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString();
    return {
      status: 201,
      body: {
        sid,
        account_sid: this.accountSid,
        messaging_service_sid: service,
        to,
        from,
        body,
        status: service && !from ? 'accepted' : 'queued',
        num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
        num_media: '0',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: now,
        date_updated: now,
        date_sent: null,
        error_code: null,
        error_message: null,
        price: null,
        price_unit: 'USD',
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
        subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json` },
      },
    };
  }
}
