// My work: the queues that serve me, how many accounts each holds now, the "next" button, and the
// reminders strategies set that are due in my branches.
import { workApi } from '#lib/api/work.ts';

export async function load({ fetch }) {
  const [queues, reminders] = await Promise.all([workApi.myQueues(fetch), workApi.reminders({}, fetch)]);
  return { queues: queues.items, reminders };
}
