// Browser sessions: an httpOnly cookie carries a random token; the database keeps its hash, the
// user, an expiry and the CSRF token the client must echo on unsafe requests.
import type { Db } from '../../platform/db/client.ts';
import { randomToken, sha256 } from './secrets.ts';

export const sessionCookie = 'arrears_session';

export async function createSession(db: Db, userId: string, ttlHours: number, meta: { ip?: string; userAgent?: string }) {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db.session.create({ data: { id: sha256(token), userId, csrfToken, expiresAt, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null } });
  return { token, csrfToken, expiresAt };
}

export async function findSession(db: Db, token: string) {
  const session = await db.session.findUnique({ where: { id: sha256(token) }, include: { user: { include: { branch: true } } } });
  if (!session || session.expiresAt < new Date() || !session.user.active) return null;
  return session;
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}
