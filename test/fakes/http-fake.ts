// A tiny local HTTP server under the vendor fakes: listens on 127.0.0.1 on a free port, records
// every request (and separately the ones it accepted), and can be told to fail the next N requests
// with a status such as 500 or 429, answered in the vendor's own error shape, to exercise retries.
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
  /** JSON-encoded; absent for an empty body. */
  body?: unknown;
}

/** Subclasses answer as their vendor does by overriding `handle` and `failureReply`. */
export class HttpFake {
  /** Requests answered with 2xx, for assertions on what the client sent. */
  readonly accepted: RecordedRequest[] = [];
  /** Every request, accepted or not. */
  readonly received: RecordedRequest[] = [];
  private readonly failures: Reply[] = [];
  private server?: http.Server;
  url = '';

  protected handle(_req: RecordedRequest): Reply {
    return { status: 404, body: { error: 'not found' } };
  }

  protected failureReply(status: number): Reply {
    return { status, body: { error: 'simulated failure' } };
  }

  /** The next `count` requests answer `status` before any checks, in the vendor's error shape. */
  failNext(count: number, status = 500): this {
    for (let i = 0; i < count; i++) this.failures.push(this.failureReply(status));
    return this;
  }

  /** Forgets recorded requests and pending failures. */
  reset(): void {
    this.accepted.length = 0;
    this.received.length = 0;
    this.failures.length = 0;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(recorded);
        const reply = this.failures.shift() ?? this.handle(recorded);
        if (reply.status >= 200 && reply.status < 300) this.accepted.push(recorded);
        const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
        res.writeHead(reply.status, { ...(body ? { 'content-type': 'application/json' } : {}), ...(reply.headers ?? {}) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
