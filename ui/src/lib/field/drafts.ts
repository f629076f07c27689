// Visit forms in progress, kept on the phone as the rep fills them in (see db.ts, "drafts").
import { deleteDraft, storeDraft, storedDraft } from './db.ts';
import type { VisitDraft } from './visit-draft.ts';

export const newVisitDraftKey = (stopId: string) => `new/${stopId}`;
export const correctionDraftKey = (clientVisitId: string) => `edit/${clientVisitId}`;

export async function restoreDraft(key: string, repId: string): Promise<{ clientVisitId: string; draft: VisitDraft; savedAt: string } | null> {
  const stored = await storedDraft(key);
  return stored && stored.repId === repId ? { clientVisitId: stored.clientVisitId, draft: stored.draft, savedAt: stored.savedAt } : null;
}

/**
 * Keeps a form's draft as the rep types (at most every `delayMs`), from the first change on.
 * `keep(draft)` with a plain snapshot; `flush()` before leaving; `discard()` once saved.
 */
export function draftKeeper(key: string, repId: string, clientVisitId: string, delayMs = 400) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: VisitDraft | null = null;
  let discarded = false;
  const write = async () => {
    clearTimeout(timer);
    const draft = pending;
    pending = null;
    if (draft && !discarded) await storeDraft({ key, repId, clientVisitId, draft, savedAt: new Date().toISOString() });
  };
  return {
    keep(draft: VisitDraft) {
      pending = draft;
      clearTimeout(timer);
      timer = setTimeout(() => void write(), delayMs);
    },
    flush: write,
    async discard() {
      discarded = true;
      clearTimeout(timer);
      await deleteDraft(key);
    },
  };
}
