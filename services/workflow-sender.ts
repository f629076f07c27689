// Who sent a message to a case workflow. The API runs each request "as" its caller; the Temporal
// client's interceptor then puts that identity in the `arrears-sender` header of every signal,
// update and start it makes, so the history inspector can say who sent what. Work with no caller
// (billing webhooks processed later, the reconciler) sends no header and shows as the system.
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Headers, WorkflowClientInterceptor } from '@temporalio/client';
import type { SenderIdentity } from '../domain/access.ts';
import { senderHeader } from '../workflows/messages.ts';

const currentSender = new AsyncLocalStorage<SenderIdentity>();

/** Runs `work` with `sender` as the identity on every workflow message it sends. */
export function asSender<T>(sender: SenderIdentity, work: () => Promise<T>): Promise<T> {
  return currentSender.run(sender, work);
}

function withSender(headers: Headers): Headers {
  const sender = currentSender.getStore();
  if (!sender) return headers;
  return { ...headers, [senderHeader]: defaultPayloadConverter.toPayload(sender) as Payload };
}

export const senderHeaderInterceptor: WorkflowClientInterceptor = {
  signal: (input, next) => next({ ...input, headers: withSender(input.headers) }),
  signalWithStart: (input, next) => next({ ...input, headers: withSender(input.headers) }),
  startUpdate: (input, next) => next({ ...input, headers: withSender(input.headers) }),
  startWithDetails: (input, next) => next({ ...input, headers: withSender(input.headers) }),
};
