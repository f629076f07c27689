// Queue management (W2, S2): the supervisor's queues, the people and segments to build them from.
import { api } from '#lib/api/client.ts';
import { workApi } from '#lib/api/work.ts';

export async function load({ fetch }) {
  const [queues, collectors, segments, branches] = await Promise.all([workApi.queues(fetch), workApi.collectors(fetch), api.segments(fetch), api.branches(fetch)]);
  return { queues: queues.items, collectors: collectors.items, segments: segments.items, branches: branches.items };
}
