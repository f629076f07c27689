// The card processor's sandbox on a port of its own, as a real processor is a separate host; the
// API reaches it over HTTP through the same client production uses.
import express from 'express';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { httpCardProcessor, type CardProcessor } from '../../platform/payments/card-processor.ts';
import { createSandboxProcessor, type SandboxProcessor } from '../../platform/payments/sandbox-processor.ts';

export interface RunningSandbox {
  sandbox: SandboxProcessor;
  processor: CardProcessor;
  url: string;
  close(): Promise<void>;
}

export async function startCardSandbox(secretKey = 'sk_sandbox_test_secret'): Promise<RunningSandbox> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sandbox = createSandboxProcessor({ secretKey, privateKey });
  const app = express();
  app.use(sandbox.router);
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { sandbox, processor: httpCardProcessor({ baseUrl: url, secretKey }), url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
