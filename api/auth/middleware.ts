// Authentication for every /api/v1 request: a session cookie (people) or an API key (systems).
// Cookie-authenticated unsafe requests must carry the session's CSRF token in X-CSRF-Token.
import type { RequestHandler } from 'express';
import type { Db } from '../../platform/db/client.ts';
import type { Role } from '../../domain/access.ts';
import { HttpProblem } from '../http/problem.ts';
import { findApiKey } from './api-keys.ts';
import { findSession, sessionCookie } from './sessions.ts';
import { sameSecret } from './secrets.ts';
import './principal.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const presentedKey = req.get('x-api-key') ?? bearer(req.get('authorization'));
    if (presentedKey) {
      const key = await findApiKey(db, presentedKey);
      if (!key) throw new HttpProblem(401, 'invalid_api_key', 'the API key is unknown or revoked');
      req.auth = { principal: { kind: 'api_key', id: key.id, scopes: key.scopes, branchId: key.branchId, name: key.name }, csrfToken: null, sessionId: null };
      void db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
      return next();
    }
    const token = req.cookies?.[sessionCookie] as string | undefined;
    if (token) {
      const session = await findSession(db, token);
      if (session) {
        if (!safeMethods.has(req.method) && !sameSecret(req.get('x-csrf-token') ?? '', session.csrfToken)) {
          throw new HttpProblem(403, 'csrf_failed', 'missing or wrong X-CSRF-Token header');
        }
        const user = session.user;
        req.auth = { principal: { kind: 'user', id: user.id, role: user.role as Role, branchId: user.branchId, name: user.name }, csrfToken: session.csrfToken, sessionId: session.id };
      }
    }
    next();
  };
}

function bearer(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1];
}
