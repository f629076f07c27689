// Sharing reps out among groups of leads, and the small assignment helpers route planning uses:
// which group each rep works (D'Hondt seats, then the nearest reps take them), a group's centre.
import type { LeadGroup } from './lead-groups.ts';
import type { Rep, RoutingContext } from './route-model.ts';

/**
 * Shares the reps out among the groups. Each group gets one rep while reps last (most valuable
 * groups first), then each further rep goes to the group with the most work per rep (D'Hondt), so
 * days come out as even as whole groups allow. Reps then go to groups by their start: nearest first,
 * improved by swapping pairs of reps while that shortens the total distance from start to group.
 */
export function allocateReps(context: RoutingContext, groups: LeadGroup[], reps: readonly Rep[]): Array<{ group: LeadGroup; repIds: string[] }> {
  const served = groups.slice(0, reps.length);
  const work = served.map((g) => estimatedWorkMinutes(context, g.leadIds));
  const seats = served.map(() => 1);
  for (let spare = reps.length - served.length; spare > 0; spare--) {
    let best = -1;
    for (let g = 0; g < served.length; g++) {
      if (seats[g]! >= served[g]!.leadIds.length) continue;
      if (best < 0 || work[g]! / seats[g]! > work[best]! / seats[best]!) best = g;
    }
    if (best < 0) break;
    seats[best]!++;
  }
  // One seat per rep in a group; the cost of a seat is the drive from the rep's start to the group's centre.
  const seatGroup = served.flatMap((_, g) => Array.from({ length: seats[g]! }, () => g));
  const centres = served.map((g) => medoid(context, g.leadIds.map((id) => context.leadRow(id))));
  const shortestVisit = served.map((g) => Math.min(...g.leadIds.map((id) => context.lead(id).serviceMinutes)));
  const cost = (rep: Rep, seat: number) => {
    const g = seatGroup[seat]!;
    const seconds = context.lookup.seconds(context.repRow(rep.id), centres[g]!);
    // A rep whose day cannot even cover one visit there takes a seat only when nobody else can.
    const useless = rep.maxMinutes !== undefined && seconds / 60 + shortestVisit[g]! > rep.maxMinutes;
    return useless ? seconds + 1e9 : seconds;
  };
  const seatOf = assignCheapest(reps.length, seatGroup.length, (r, s) => cost(reps[r]!, s));
  const repIds = served.map((): string[] => []);
  reps.forEach((rep, r) => {
    const seat = seatOf[r]!;
    if (seat >= 0) repIds[seatGroup[seat]!]!.push(rep.id);
  });
  return [...served.map((group, g) => ({ group, repIds: repIds[g]! })), ...groups.slice(served.length).map((group) => ({ group, repIds: [] }))];
}

/** Time on site plus, per stop, the drive from its nearest neighbour in the group: a cheap stand-in for the route's work. */
function estimatedWorkMinutes(context: RoutingContext, leadIds: readonly string[]): number {
  const rows = leadIds.map((id) => context.leadRow(id));
  let minutes = 0;
  for (let a = 0; a < rows.length; a++) {
    minutes += context.lead(leadIds[a]!).serviceMinutes;
    let nearest = Infinity;
    for (let b = 0; b < rows.length; b++) if (a !== b) nearest = Math.min(nearest, context.lookup.seconds(rows[b]!, rows[a]!));
    if (nearest < Infinity) minutes += nearest / 60;
  }
  return minutes;
}

/** The row with the least total driving to and from the others. */
export function medoid(context: RoutingContext, rows: readonly number[]): number {
  let best = rows[0]!;
  let bestSum = Infinity;
  for (const a of rows) {
    let sum = 0;
    for (const b of rows) sum += context.lookup.seconds(a, b) + context.lookup.seconds(b, a);
    if (sum < bestSum) {
      bestSum = sum;
      best = a;
    }
  }
  return best;
}

/**
 * Assigns each of `agents` to a distinct slot (or -1 when slots run out), cheapest pairs first, then
 * swaps pairs of agents while that lowers the total. Small (reps × seats), so quadratic passes are fine.
 */
export function assignCheapest(agents: number, slots: number, cost: (agent: number, slot: number) => number): number[] {
  const pairs: Array<[number, number, number]> = [];
  for (let a = 0; a < agents; a++) for (let s = 0; s < slots; s++) pairs.push([cost(a, s), a, s]);
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const slotOf = new Array<number>(agents).fill(-1);
  const taken = new Array<boolean>(slots).fill(false);
  for (const [, a, s] of pairs) {
    if (slotOf[a] === -1 && !taken[s]) {
      slotOf[a] = s;
      taken[s] = true;
    }
  }
  const at = (a: number, s: number) => (s < 0 ? 0 : cost(a, s));
  for (let improved = true, passes = 0; improved && passes < 50; passes++) {
    improved = false;
    for (let a = 0; a < agents; a++) {
      for (let b = a + 1; b < agents; b++) {
        const sa = slotOf[a]!;
        const sb = slotOf[b]!;
        if (sa === sb) continue;
        if (at(a, sb) + at(b, sa) < at(a, sa) + at(b, sb) - 1e-9 && !(sa < 0 && sb < 0)) {
          slotOf[a] = sb;
          slotOf[b] = sa;
          improved = true;
        }
      }
    }
  }
  return slotOf;
}

