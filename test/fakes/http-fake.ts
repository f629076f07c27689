// A tiny local HTTP server base for vendor fakes: records requests and can be told to fail the next N.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export class HttpFake {
  readonly accepted: RecordedRequest[] = [];
  readonly received: RecordedRequest[] = [];
  private failures: Array<{ status: number; body: unknown }> = [];
  private server?: http.Server;
  url = '';

  constructor(private readonly handle: (req: RecordedRequest) => Reply) {}

  /** The next `count` requests answer `status` (e.g. 500 or 429) before any checks. */
  failNext(count: number, status: number, body: unknown = { error: 'simulated outage' }) {
    for (let i = 0; i < count; i++) this.failures.push({ status, body });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(recorded);
        const failure = this.failures.shift();
        const reply = failure ? { status: failure.status, body: failure.body } : this.handle(recorded);
        if (!failure && reply.status < 300) this.accepted.push(recorded);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
