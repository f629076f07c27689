// Transient messages (errors from background refreshes, confirmations), shown by Toasts.svelte.
import { messageFor } from './messages.ts';

export const toasts = $state<{ items: Array<{ id: number; kind: 'info' | 'error'; text: string }> }>({ items: [] });
let nextId = 1;

export function showToast(text: string, kind: 'info' | 'error' = 'info') {
  const id = nextId++;
  toasts.items.push({ id, kind, text });
  setTimeout(() => dismissToast(id), 6000);
}

export function showError(error: unknown) {
  showToast(messageFor(error), 'error');
}

export function dismissToast(id: number) {
  toasts.items = toasts.items.filter((t) => t.id !== id);
}
