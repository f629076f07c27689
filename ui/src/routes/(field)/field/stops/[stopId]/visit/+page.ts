// Recording a visit at a stop: the stop as the phone holds it, and the form's draft if the rep had
// started one (a reload mid-visit loses nothing).
import { error } from '@sveltejs/kit';
import { stopOnPhone } from '#lib/field/day.ts';
import { newVisitDraftKey, restoreDraft } from '#lib/field/drafts.ts';

export async function load({ parent, params }) {
  const { me } = await parent();
  const found = await stopOnPhone(me.user.id, params.stopId);
  if (!found) error(404, { message: 'This stop is not on the route stored on this phone. Go back to the route and sync.', code: 'not_found' });
  return { found, restored: await restoreDraft(newVisitDraftKey(params.stopId), me.user.id) };
}
