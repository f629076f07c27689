// The live board as Server-Sent Events (W5: "updated live without reloading"). One recomputation
// per branch scope every few seconds, however many supervisors watch it; a frame goes out only when
// the board changed. Comments keep idle proxies from closing the connection, and each connection is
// ended after a while so that the browser's EventSource reconnects and is authenticated afresh (a
// signed-out or deactivated supervisor stops receiving the board within that time).
import type { Request, Response } from 'express';
import type { Logger } from '../platform/logger.ts';

export interface BoardStreamOptions {
  intervalMs?: number;
  heartbeatMs?: number;
  /** How long one connection lives before the server ends it (the client reconnects). */
  maxConnectionMs?: number;
}

interface Channel {
  subscribers: Set<Response>;
  compute: () => Promise<object>;
  timer: NodeJS.Timeout;
  /** The last board sent, without its timestamp (for change detection), and the frame carrying it. */
  lastContent: string | null;
  lastFrame: string | null;
  busy: boolean;
}

const allHubs = new Set<BoardStreams>();

/** Open board streams in this process (for tests and metrics). */
export function openBoardStreams(): number {
  let count = 0;
  for (const hub of allHubs) count += hub.openConnections;
  return count;
}

/** Ends every open board stream (server shutdown: open streams would hold `server.close` for ever). */
export function closeAllBoardStreams(): void {
  for (const hub of allHubs) hub.closeAll();
}

export class BoardStreams {
  private readonly channels = new Map<string, Channel>();
  private readonly connections = new Set<Response>();
  private readonly intervalMs: number;
  private readonly heartbeatMs: number;
  private readonly maxConnectionMs: number;

  constructor(
    private readonly logger: Logger,
    options: BoardStreamOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2_500;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxConnectionMs = options.maxConnectionMs ?? 10 * 60_000;
    allHubs.add(this);
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Channels being recomputed now (one per branch scope with at least one viewer). */
  get activeChannels(): number {
    return this.channels.size;
  }

  /** Turns the response into an event stream of the board `compute` produces for `key`. */
  open(req: Request, res: Response, key: string, compute: () => Promise<object>): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no'); // nginx and friends: do not buffer
    res.flushHeaders();
    req.socket.setNoDelay(true);
    res.write('retry: 3000\n\n');

    const channel = this.channels.get(key) ?? this.createChannel(key, compute);
    channel.subscribers.add(res);
    this.connections.add(res);
    if (channel.lastFrame) res.write(channel.lastFrame);
    else void this.tick(channel);

    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    const expiry = setTimeout(() => res.end(), this.maxConnectionMs);
    const cleanup = () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      this.connections.delete(res);
      channel.subscribers.delete(res);
      if (channel.subscribers.size === 0 && this.channels.get(key) === channel) {
        clearInterval(channel.timer);
        this.channels.delete(key);
      }
    };
    res.on('close', cleanup);
  }

  closeAll(): void {
    for (const res of this.connections) res.end();
  }

  private createChannel(key: string, compute: () => Promise<object>): Channel {
    const channel: Channel = { subscribers: new Set(), compute, lastContent: null, lastFrame: null, busy: false, timer: setInterval(() => void this.tick(channel), this.intervalMs) };
    this.channels.set(key, channel);
    return channel;
  }

  private async tick(channel: Channel): Promise<void> {
    if (channel.busy) return; // a slow database: skip a beat rather than pile up queries
    channel.busy = true;
    try {
      const content = await channel.compute();
      const text = JSON.stringify(content);
      if (text === channel.lastContent) return;
      channel.lastContent = text;
      channel.lastFrame = `event: board\ndata: ${JSON.stringify({ ...content, generatedAt: new Date().toISOString() })}\n\n`;
      for (const res of channel.subscribers) res.write(channel.lastFrame);
    } catch (error) {
      this.logger.error({ err: error }, 'team board stream: could not compute the board');
    } finally {
      channel.busy = false;
    }
  }
}
