// The collector's "next account" (W3): ask the server, open what it serves, or say why nothing is.
import { goto } from '$app/navigation';
import { workApi } from './api/work.ts';
import { showError, showToast } from './toasts.svelte.ts';

export async function openNextAccount(): Promise<boolean> {
  try {
    const served = await workApi.next();
    if (!served.account) {
      showToast(served.explanation);
      return false;
    }
    await goto(`/accounts/${served.account.id}?served=${encodeURIComponent(served.explanation)}`);
    return true;
  } catch (error) {
    showError(error);
    return false;
  }
}

/** Roles that are served accounts (the API's `work:serve`). */
export const servedRoles = new Set(['admin', 'supervisor', 'collector']);
/** Roles that define queues and allocate (`work_queues:manage`). */
export const queueManagerRoles = new Set(['admin', 'supervisor']);
