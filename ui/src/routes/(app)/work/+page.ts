// My work: the queues that serve me, how many accounts each holds now, and the "next" button.
import { workApi } from '#lib/api/work.ts';

export async function load({ fetch }) {
  return { queues: (await workApi.myQueues(fetch)).items };
}
