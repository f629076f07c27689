// What the auth middleware attaches to a request.
import type { Principal } from '../../domain/access.ts';
import type { Actor } from '../../services/audit.ts';

export interface RequestAuth {
  principal: Principal;
  /** Present for cookie sessions: unsafe methods must echo it in X-CSRF-Token. */
  csrfToken: string | null;
  sessionId: string | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      auth?: RequestAuth;
    }
  }
}

export function actorOf(principal: Principal, requestId?: string | null): Actor {
  return { type: principal.kind === 'user' ? 'user' : 'api_key', id: principal.id, requestId: requestId ?? null };
}
