// Keeps a visit form's draft on the phone as it is typed (drafts.ts), from a component's set-up: the
// draft is kept once it differs from where the form started (or at once, for a restored one), not
// after the visit is saved, and any write still pending is flushed when the rep leaves the page.
import { onDestroy, untrack } from 'svelte';
import { beforeNavigate } from '$app/navigation';
import type { draftKeeper } from './drafts.ts';
import type { VisitDraft } from './visit-draft.ts';

export function keepDraftAsTyped(keeper: ReturnType<typeof draftKeeper>, options: { read: () => VisitDraft; startedFrom: VisitDraft; keepAtOnce?: boolean; saved: () => boolean }): void {
  const untouched = JSON.stringify(options.startedFrom);
  $effect(() => {
    const snapshot = options.read();
    if (!options.saved() && (options.keepAtOnce || JSON.stringify(snapshot) !== untouched)) untrack(() => keeper.keep(snapshot));
  });
  beforeNavigate(() => void keeper.flush());
  onDestroy(() => void keeper.flush());
}
