// Changing the bucket's URL state: set or clear parameters, back to page 1 unless paging.
import { goto } from '$app/navigation';
import { page } from '$app/state';

export function updateBucketUrl(changes: Record<string, string | null>, options: { resetPage?: boolean } = {}) {
  const next = new URLSearchParams(page.url.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  if (options.resetPage ?? true) {
    next.delete('page');
    // Changing a filter leaves the saved view that was picked.
    if (!('view' in changes)) next.delete('view');
  }
  const query = next.toString();
  void goto(`${page.url.pathname}${query ? `?${query}` : ''}`, { reset: false, replace: 'q' in changes });
}
