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
