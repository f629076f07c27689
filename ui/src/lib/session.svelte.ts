// The signed-in user, shared by the layout and pages.
import type { Me } from './api/types.ts';
import { rememberCsrfToken } from './api/client.ts';

export const session = $state<{ me: Me | null }>({ me: null });

export function setSession(me: Me | null) {
  session.me = me;
  rememberCsrfToken(me?.csrfToken ?? '');
}

/** Whether the signed-in user's role grants `permission` (the API says which, at sign-in). */
export function can(permission: string): boolean {
  return session.me?.permissions?.includes(permission) ?? false;
}
