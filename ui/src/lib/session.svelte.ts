// The signed-in user, shared by the layout and pages.
import type { Me } from './api/types.ts';
import { rememberCsrfToken } from './api/client.ts';

export const session = $state<{ me: Me | null }>({ me: null });

export function setSession(me: Me | null) {
  session.me = me;
  rememberCsrfToken(me?.csrfToken ?? '');
}
