// Correcting a visit the server refused (or one still waiting): the saved visit, any correction in
// progress, and the card processor's key from the day on the phone.
import { error, redirect } from '@sveltejs/kit';
import { dayOnPhone } from '#lib/field/day.ts';
import { correctionDraftKey, restoreDraft } from '#lib/field/drafts.ts';
import { isEditable, outboxEntry } from '#lib/field/outbox.ts';

export async function load({ parent, params }) {
  const { me } = await parent();
  const entry = await outboxEntry(params.clientVisitId);
  if (!entry || entry.repId !== me.user.id) error(404, { message: 'This visit is not on this phone.', code: 'not_found' });
  if (!isEditable(entry)) redirect(307, `/field/visits/${entry.clientVisitId}`);
  const day = await dayOnPhone(me.user.id);
  return { entry, processorKey: day?.day.cardProcessor ?? null, restored: await restoreDraft(correctionDraftKey(entry.clientVisitId), me.user.id) };
}
