// One group's routes: the group's leads cut into one compact area per rep, each ordered from the rep's
// start, days that run over trimmed, and the days evened out (steps 4–7 in docs/routing.md).
import { randomInt, seededRandom } from './prng.ts';
import { assignCheapest, medoid } from './rep-allocation.ts';
import type { LeadGroup } from './lead-groups.ts';
import type { Lead, Rep, RoutingContext, UnassignedLead } from './route-model.ts';
import type { TspOptions } from './tsp.ts';

export type RouteOrdering = Pick<TspOptions, 'seed' | 'maxIterations' | 'stallIterations' | 'timeBudgetMs' | 'clock'>;

/** How far a rep's start pulls stops into their route when areas are cut (a rep living east gets the east). */
const startPull = 0.5;
/** How far above its balanced share an area may grow while a nearer rep has room. */
const shareSlack = 0.05;

/** Plans one group's routes, one per rep given; leads that do not fit go to `unassigned`. */
export class GroupPlanner {
  private readonly reps: Rep[];
  private readonly starts: number[];
  private readonly rowOf = new Map<string, number>();

  constructor(
    private readonly context: RoutingContext,
    private readonly group: LeadGroup,
    repIds: readonly string[],
    private readonly ordering: RouteOrdering,
    private readonly unassigned: UnassignedLead[],
  ) {
    this.reps = repIds.map((id) => context.rep(id));
    this.starts = repIds.map((id) => context.repRow(id));
    for (const id of group.leadIds) this.rowOf.set(id, context.leadRow(id));
  }

  plan(): string[][] {
    let leads = this.group.leadIds.map((id) => this.context.lead(id));
    leads = leads.filter((lead) => {
      const fits = this.reps.some((rep, k) => rep.maxMinutes === undefined || this.seconds(this.starts[k]!, this.row(lead.id)) / 60 + lead.serviceMinutes <= rep.maxMinutes);
      if (!fits) this.leaveOut(lead.id, 'longer_than_a_day');
      return fits;
    });
    const stopCapacity = this.reps.reduce((total, rep) => total + (rep.maxStops ?? Infinity), 0);
    if (leads.length > stopCapacity) {
      leads.sort(byValue);
      for (const lead of leads.slice(stopCapacity)) this.leaveOut(lead.id, 'no_capacity');
      leads = leads.slice(0, stopCapacity);
    }

    const areas = this.reps.length === 1 ? [leads.map((l) => l.id)] : this.cutAreas(leads);
    if (this.reps.length === 1) {
      const routes = areas.map((ids, k) => this.order(k, ids));
      this.fitDays(routes);
      return routes;
    }
    // Several reps: a quick first ordering is good enough to judge who is over their hours and who
    // has room; the routes are ordered properly once their stops are settled.
    let routes = areas.map((ids, k) => this.order(k, ids, true));
    this.fitDays(routes);
    this.balance(routes);
    routes = routes.map((ids, k) => this.order(k, ids));
    this.fitDays(routes);
    return routes;
  }

  private row(leadId: string): number {
    return this.rowOf.get(leadId)!;
  }

  private seconds(from: number, to: number): number {
    return this.context.lookup.seconds(from, to);
  }

  private both(a: number, b: number): number {
    return this.seconds(a, b) + this.seconds(b, a);
  }

  private leaveOut(leadId: string, reason: UnassignedLead['reason']): void {
    this.unassigned.push({ leadId, groupKey: this.group.key, reason });
  }

  private order(k: number, leadIds: string[], quick = false): string[] {
    const n = leadIds.length + 1;
    const options = quick ? { ...this.ordering, maxIterations: 20 * n, stallIterations: 5 * n, timeBudgetMs: undefined } : this.ordering;
    return this.context.orderStops(this.reps[k]!.id, leadIds, options);
  }

  /** Driving (directed) plus time on site of rep k's route in this order, minutes. */
  private work(k: number, route: readonly string[]): number {
    let previous = this.starts[k]!;
    let minutes = 0;
    for (const id of route) {
      const row = this.row(id);
      minutes += this.seconds(previous, row) / 60 + this.context.lead(id).serviceMinutes;
      previous = row;
    }
    return minutes;
  }

  /** Minutes the stop at `position` costs its route: its time on site and the detour to it. */
  private stopCost(k: number, route: readonly string[], position: number): number {
    const previous = position === 0 ? this.starts[k]! : this.row(route[position - 1]!);
    const here = this.row(route[position]!);
    const detour = position + 1 < route.length ? this.seconds(previous, here) + this.seconds(here, this.row(route[position + 1]!)) - this.seconds(previous, this.row(route[position + 1]!)) : this.seconds(previous, here);
    return detour / 60 + this.context.lead(route[position]!).serviceMinutes;
  }

  /** The cheapest place for a lead in rep k's route, and the minutes it adds there. */
  private cheapestInsertion(k: number, route: readonly string[], leadId: string): { position: number; minutes: number } {
    const here = this.row(leadId);
    let best = { position: route.length, minutes: Infinity };
    for (let position = 0; position <= route.length; position++) {
      const previous = position === 0 ? this.starts[k]! : this.row(route[position - 1]!);
      const detour = position < route.length ? this.seconds(previous, here) + this.seconds(here, this.row(route[position]!)) - this.seconds(previous, this.row(route[position]!)) : this.seconds(previous, here);
      if (detour < best.minutes) best = { position, minutes: detour };
    }
    return { position: best.position, minutes: best.minutes / 60 + this.context.lead(leadId).serviceMinutes };
  }

  /**
   * Cuts the group into one compact area per rep with work in proportion to what each rep can take:
   * k-medoids on driving times where each area has a share it may exceed only slightly. Leads are
   * placed most-constrained first (largest regret: the gap between their best and second-best area),
   * so that the leads that have one obvious area get it.
   */
  private cutAreas(leads: Lead[]): string[][] {
    const k = this.reps.length;
    const n = leads.length;
    if (n === 0) return this.reps.map(() => []);
    const rows = leads.map((l) => this.row(l.id));
    // Each stop weighs its time on site plus a typical drive between neighbouring stops.
    let drive = 0;
    for (let a = 0; a < n; a++) {
      let nearest = Infinity;
      for (let b = 0; b < n; b++) if (a !== b) nearest = Math.min(nearest, this.both(rows[a]!, rows[b]!) / 2);
      if (nearest < Infinity) drive += nearest / 60;
    }
    const perStopDrive = n > 0 ? drive / n : 0;
    const weight = leads.map((l) => l.serviceMinutes + perStopDrive);
    const total = weight.reduce((a, b) => a + b, 0);
    const meanWeight = n > 0 ? total / n : 0;
    const stopCap = this.reps.map((rep) => rep.maxStops ?? Infinity);
    const capacity = this.reps.map((rep) => Math.min(rep.maxStops === undefined ? Infinity : rep.maxStops * meanWeight, rep.maxMinutes ?? Infinity));
    const share = fairShares(capacity, total);

    // Seeds: k-means++ (each next seed drawn with probability growing with its distance from the
    // seeds so far), then matched to reps by their starts.
    const random = seededRandom(this.ordering.seed ?? 1);
    const seeds = [randomInt(random, n)];
    const nearestSeed = rows.map((r) => this.both(r, rows[seeds[0]!]!));
    while (seeds.length < Math.min(k, n)) {
      const sum = nearestSeed.reduce((a, d) => a + d * d, 0);
      let pick = 0;
      if (sum > 0) {
        let target = random() * sum;
        while (pick < n - 1 && (target -= nearestSeed[pick]! ** 2) > 0) pick++;
      } else {
        while (seeds.includes(pick)) pick++;
      }
      seeds.push(pick);
      rows.forEach((r, i) => (nearestSeed[i] = Math.min(nearestSeed[i]!, this.both(r, rows[pick]!))));
    }
    const seedOf = assignCheapest(k, seeds.length, (rep, s) => this.both(this.starts[rep]!, rows[seeds[s]!]!));
    let centres = seedOf.map((s) => (s >= 0 ? rows[seeds[s]!]! : -1));

    let area: Int32Array = new Int32Array(n).fill(-1);
    for (let iteration = 0; iteration < 12; iteration++) {
      area = this.placeLeads(rows, weight, centres, share, capacity, stopCap);
      const next = centres.map((centre, a) => {
        const members = rows.filter((_, i) => area[i] === a);
        return members.length > 0 ? medoid(this.context, members) : centre;
      });
      if (next.every((c, a) => c === centres[a])) break;
      centres = next;
    }
    const areas = this.reps.map((): string[] => []);
    leads.forEach((lead, i) => {
      if (area[i]! >= 0) areas[area[i]!]!.push(lead.id);
      else this.leaveOut(lead.id, 'no_capacity');
    });
    return areas;
  }

  private placeLeads(rows: number[], weight: number[], centres: number[], share: number[], capacity: number[], stopCap: number[]): Int32Array {
    const k = centres.length;
    const n = rows.length;
    const cost = (i: number, a: number) => (centres[a]! < 0 ? 0 : this.both(centres[a]!, rows[i]!) / 2) + (startPull * this.both(this.starts[a]!, rows[i]!)) / 2;
    const regret = rows.map((_, i) => {
      let best = Infinity;
      let second = Infinity;
      for (let a = 0; a < k; a++) {
        const c = cost(i, a);
        if (c < best) [best, second] = [c, best];
        else if (c < second) second = c;
      }
      return second === Infinity ? 0 : second - best;
    });
    const order = rows.map((_, i) => i).sort((x, y) => regret[y]! - regret[x]! || x - y);
    const load = new Float64Array(k);
    const count = new Int32Array(k);
    const area = new Int32Array(n).fill(-1);
    for (const i of order) {
      const byCost = [...Array(k).keys()].sort((a, b) => cost(i, a) - cost(i, b) || a - b);
      const room = (a: number, limit: number) => count[a]! < stopCap[a]! && load[a]! + weight[i]! <= limit + 1e-9;
      const chosen = byCost.find((a) => room(a, share[a]! * (1 + shareSlack))) ?? byCost.find((a) => room(a, capacity[a]!)) ?? byCost.find((a) => count[a]! < stopCap[a]!);
      if (chosen === undefined) continue;
      area[i] = chosen;
      load[chosen] = load[chosen]! + weight[i]!;
      count[chosen]!++;
    }
    return area;
  }

  /**
   * Makes every route fit its rep's hours: drops the least valuable stops of a day that runs over,
   * then places each dropped lead (most valuable first) where it adds least to a route with room.
   */
  private fitDays(routes: string[][]): void {
    const dropped: string[] = [];
    routes.forEach((route, k) => {
      const limit = this.reps[k]!.maxMinutes;
      if (limit === undefined) return;
      while (route.length > 0 && this.work(k, route) > limit) {
        const lowest = Math.min(...route.map((id) => this.context.lead(id).priority ?? 0));
        let victim = -1;
        let bestRatio = -Infinity;
        route.forEach((id, position) => {
          const lead = this.context.lead(id);
          if ((lead.priority ?? 0) !== lowest) return;
          const ratio = this.stopCost(k, route, position) / Math.max(1, lead.amountMinor);
          if (ratio > bestRatio) {
            bestRatio = ratio;
            victim = position;
          }
        });
        dropped.push(route.splice(victim, 1)[0]!);
      }
    });
    dropped.sort((a, b) => byValue(this.context.lead(a), this.context.lead(b)));
    for (const leadId of dropped) {
      let best: { k: number; position: number; minutes: number } | undefined;
      routes.forEach((route, k) => {
        const rep = this.reps[k]!;
        if (route.length >= (rep.maxStops ?? Infinity)) return;
        const { position, minutes } = this.cheapestInsertion(k, route, leadId);
        if (rep.maxMinutes !== undefined && this.work(k, route) + minutes > rep.maxMinutes) return;
        if (!best || minutes < best.minutes) best = { k, position, minutes };
      });
      if (best) routes[best.k]!.splice(best.position, 0, leadId);
      else this.leaveOut(leadId, 'no_capacity');
    }
  }

  /**
   * Evens out the days: moves a stop from a day longer than average to a shorter one nearby while the
   * longer of the two days gets shorter, the shorter stays within its rep's limits, and the move adds
   * less driving overall than it takes off the longer day. The best such move (most taken off, net of
   * driving added) is made, then the next is looked for. Returns whether anything moved.
   */
  private balance(routes: string[][]): boolean {
    const totalStops = routes.reduce((a, r) => a + r.length, 0);
    const routeOf = new Map<string, number>();
    routes.forEach((route, k) => route.forEach((id) => routeOf.set(id, k)));
    const near = this.nearestLeads(routes.flat(), 8);
    let moved = false;
    for (let round = 0; round < totalStops; round++) {
      const work = routes.map((route, k) => this.work(k, route));
      const mean = work.reduce((a, b) => a + b, 0) / work.length;
      let best: { from: number; position: number; to: number; at: number; net: number } | undefined;
      routes.forEach((route, from) => {
        if (work[from]! <= mean) return;
        route.forEach((leadId, position) => {
          const freed = this.stopCost(from, route, position);
          // Only routes that already serve one of the lead's nearest neighbours: elsewhere it would add a long detour.
          const targets = new Set(near.get(leadId)!.map((id) => routeOf.get(id)!));
          for (const to of targets) {
            if (to === from || work[to]! >= work[from]!) continue;
            const rep = this.reps[to]!;
            if (routes[to]!.length >= (rep.maxStops ?? Infinity)) continue;
            const { position: at, minutes } = this.cheapestInsertion(to, routes[to]!, leadId);
            const after = work[to]! + minutes;
            if (rep.maxMinutes !== undefined && after > rep.maxMinutes) continue;
            const shortened = work[from]! - Math.max(work[from]! - freed, after);
            const extraDriving = minutes - freed;
            if (shortened < 0.5 || extraDriving > shortened) continue;
            const net = shortened - extraDriving;
            if (!best || net > best.net) best = { from, position, to, at, net };
          }
        });
      });
      if (!best) break;
      const { from, position, to, at } = best;
      const [leadId] = routes[from]!.splice(position, 1);
      routes[to]!.splice(at, 0, leadId!);
      routeOf.set(leadId!, to);
      moved = true;
    }
    return moved;
  }

  /** Each lead's `count` nearest other leads (driving time both ways). */
  private nearestLeads(leadIds: readonly string[], count: number): Map<string, string[]> {
    const rows = leadIds.map((id) => this.row(id));
    const near = new Map<string, string[]>();
    const bestTime = new Float64Array(count);
    const bestLead = new Int32Array(count);
    leadIds.forEach((id, a) => {
      let found = 0;
      for (let b = 0; b < leadIds.length; b++) {
        if (b === a) continue;
        const time = this.both(rows[a]!, rows[b]!);
        if (found === count && time >= bestTime[count - 1]!) continue;
        let r = found < count ? found++ : count - 1;
        for (; r > 0 && bestTime[r - 1]! > time; r--) {
          bestTime[r] = bestTime[r - 1]!;
          bestLead[r] = bestLead[r - 1]!;
        }
        bestTime[r] = time;
        bestLead[r] = b;
      }
      near.set(id, Array.from(bestLead.subarray(0, found), (b) => leadIds[b]!));
    });
    return near;
  }
}

/** Most valuable first: higher priority, then more owed, then id for a stable order. */
function byValue(a: Lead, b: Lead): number {
  return (b.priority ?? 0) - (a.priority ?? 0) || b.amountMinor - a.amountMinor || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Equal shares of `total`, except that no one gets more than their capacity; what they cannot take
 * is shared among the rest ("water filling").
 */
function fairShares(capacity: readonly number[], total: number): number[] {
  const share = new Array<number>(capacity.length).fill(0);
  const order = capacity.map((_, i) => i).sort((a, b) => capacity[a]! - capacity[b]!);
  let remaining = total;
  order.forEach((i, rank) => {
    const equal = remaining / (order.length - rank);
    share[i] = Math.min(capacity[i]!, equal);
    remaining -= share[i]!;
  });
  return share;
}
