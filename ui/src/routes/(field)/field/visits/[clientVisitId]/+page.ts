// A visit on the phone and its receipt: from the outbox, whatever the connection.
import { error } from '@sveltejs/kit';
import { outboxEntry } from '#lib/field/outbox.ts';

export async function load({ parent, params }) {
  const { me } = await parent();
  const entry = await outboxEntry(params.clientVisitId);
  if (!entry || entry.repId !== me.user.id) error(404, { message: 'This visit is not on this phone.', code: 'not_found' });
  return { entry };
}
