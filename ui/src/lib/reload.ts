// Reloading a page's data after a save. `invalidateAll()` reloads the page being shown; if the person
// changed a filter while the save was under way, that navigation is still in flight and the reload of
// the page it leaves would win, undoing the filter. So wait for any navigation in flight, then reload
// what the page shows now: its load may have read the data before the save committed.
import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

export async function reloadAfterSave(): Promise<void> {
  let waited: Promise<void> | null = null;
  for (let pending = navigating.complete; pending && pending !== waited; pending = navigating.complete) {
    waited = pending;
    await pending.catch(() => undefined);
  }
  await invalidateAll();
}
