// The local search at the heart of the stop-ordering solver (tsp.ts): 2-opt and Or-opt moves over a
// tour held as two typed arrays, and the double-bridge kick the iterated search perturbs it with.
import { randomInt, type Random } from './prng.ts';

/** Improvements smaller than this are rounding noise, not progress (distances are metres, seconds or TSPLIB units). */
export const epsilon = 1e-7;

/**
 * 2-opt and Or-opt local search over a tour held as `tour` (nodes in order) and `pos` (each node's
 * index in `tour`), so that "the node after c" is one lookup and reversing a stretch costs its length.
 */
export class LocalSearch {
  readonly tour: Int32Array;
  private readonly pos: Int32Array;
  // Nodes whose neighbourhood changed since they were last examined: the don't-look bits, as a FIFO.
  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;
  private head = 0;
  private size = 0;
  private readonly scratch: Int32Array;

  constructor(
    private readonly d: Float64Array,
    private readonly n: number,
    private readonly neighbours: Int32Array,
    private readonly k: number,
    initial: Int32Array,
  ) {
    this.tour = Int32Array.from(initial);
    this.pos = new Int32Array(n);
    for (let i = 0; i < n; i++) this.pos[this.tour[i]!] = i;
    this.queue = new Int32Array(n);
    this.queued = new Uint8Array(n);
    this.scratch = new Int32Array(n);
  }

  load(tour: Int32Array): void {
    this.tour.set(tour);
    for (let i = 0; i < this.n; i++) this.pos[tour[i]!] = i;
    this.head = 0;
    this.size = 0;
    this.queued.fill(0);
  }

  queueAll(): void {
    for (let i = 0; i < this.n; i++) this.push(this.tour[i]!);
  }

  private push(city: number): void {
    if (this.queued[city]) return;
    this.queued[city] = 1;
    this.queue[(this.head + this.size) % this.n] = city;
    this.size++;
  }

  private next(city: number): number {
    const p = this.pos[city]! + 1;
    return this.tour[p === this.n ? 0 : p]!;
  }

  private prev(city: number): number {
    const p = this.pos[city]!;
    return this.tour[p === 0 ? this.n - 1 : p - 1]!;
  }

  private dist(a: number, b: number): number {
    return this.d[a * this.n + b]!;
  }

  /** Applies improving moves until none is left around any queued node; returns the change in length. */
  optimise(): number {
    let change = 0;
    while (this.size > 0) {
      const city = this.queue[this.head]!;
      this.head = (this.head + 1) % this.n;
      this.size--;
      this.queued[city] = 0;
      const gain = this.twoOpt(city) || this.orOpt(city);
      if (gain < 0) {
        change += gain;
        this.push(city);
      }
    }
    return change;
  }

  /**
   * 2-opt from `a`: replace edges (a, a') and (c, c') by (a, c) and (a', c'), where a' and c' are
   * both successors or both predecessors. Only neighbours c closer to a than a' can gain, and the
   * neighbour list is sorted, so the scan stops at the first one that is not.
   */
  private twoOpt(a: number): number {
    const { k, neighbours } = this;
    for (let direction = 0; direction < 2; direction++) {
      const b = direction === 0 ? this.next(a) : this.prev(a);
      const ab = this.dist(a, b);
      for (let i = 0; i < k; i++) {
        const c = neighbours[a * k + i]!;
        const ac = this.dist(a, c);
        if (ac >= ab - epsilon) break;
        const e = direction === 0 ? this.next(c) : this.prev(c);
        if (c === b || e === a) continue;
        const delta = ac + this.dist(b, e) - ab - this.dist(c, e);
        if (delta < -epsilon) {
          if (direction === 0) this.reverse(this.pos[b]!, this.pos[c]!);
          else this.reverse(this.pos[a]!, this.pos[e]!);
          this.push(a);
          this.push(b);
          this.push(c);
          this.push(e);
          return delta;
        }
      }
    }
    return 0;
  }

  /**
   * Or-opt from `a`: move a segment of 1–3 nodes that begins or ends at `a` to between two
   * neighbouring nodes elsewhere, either way round. The segment's removal must save more than
   * the distance from its end to the new neighbour, or the move cannot gain (same pruning as 2-opt).
   */
  private orOpt(a: number): number {
    const { n, k, neighbours } = this;
    for (let length = 1; length <= 3 && length + 3 <= n; length++) {
      for (let side = 0; side < (length === 1 ? 1 : 2); side++) {
        // The segment in tour order is first … last.
        const firstPos = side === 0 ? this.pos[a]! : (this.pos[a]! - length + 1 + n) % n;
        const first = this.tour[firstPos]!;
        const last = this.tour[(firstPos + length - 1) % n]!;
        const before = this.prev(first);
        const after = this.next(last);
        const removal = this.dist(before, first) + this.dist(last, after) - this.dist(before, after);
        if (removal <= epsilon) continue;
        for (let end = 0; end < 2; end++) {
          const x = end === 0 ? first : last;
          const y = end === 0 ? last : first;
          for (let i = 0; i < k; i++) {
            const c = neighbours[x * k + i]!;
            const xc = this.dist(x, c);
            if (xc >= removal - epsilon) break;
            if ((this.pos[c]! - firstPos + n) % n < length) continue;
            // Between c and its successor, x next to c …
            const cNext = this.next(c);
            if ((this.pos[cNext]! - firstPos + n) % n >= length) {
              const delta = xc + this.dist(y, cNext) - this.dist(c, cNext) - removal;
              if (delta < -epsilon) {
                this.moveSegment(firstPos, length, c, x !== first);
                this.touch(before, after, first, last, c, cNext);
                return delta;
              }
            }
            // … or between c's predecessor and c, x next to c.
            const cPrev = this.prev(c);
            if ((this.pos[cPrev]! - firstPos + n) % n >= length) {
              const delta = xc + this.dist(y, cPrev) - this.dist(cPrev, c) - removal;
              if (delta < -epsilon) {
                this.moveSegment(firstPos, length, cPrev, y !== first);
                this.touch(before, after, first, last, cPrev, c);
                return delta;
              }
            }
          }
        }
      }
    }
    return 0;
  }

  private touch(a: number, b: number, c: number, d: number, e: number, f: number): void {
    this.push(a);
    this.push(b);
    this.push(c);
    this.push(d);
    this.push(e);
    this.push(f);
  }

  /**
   * Reverses the stretch of the tour from position i forward to position j (inclusive, wrapping).
   * A cyclic tour read backwards is the same tour, so when the stretch is more than half the tour
   * the rest is reversed instead: same result, at most n/2 swaps.
   */
  private reverse(i: number, j: number): void {
    const { n, tour, pos } = this;
    let inside = ((j - i + n) % n) + 1;
    if (2 * inside > n) {
      const nextI = j + 1 === n ? 0 : j + 1;
      j = i === 0 ? n - 1 : i - 1;
      i = nextI;
      inside = n - inside;
    }
    for (let s = inside >> 1; s > 0; s--) {
      const a = tour[i]!;
      const b = tour[j]!;
      tour[i] = b;
      pos[b] = i;
      tour[j] = a;
      pos[a] = j;
      i = i + 1 === n ? 0 : i + 1;
      j = j === 0 ? n - 1 : j - 1;
    }
  }

  /**
   * Moves the `length` nodes from position `firstPos` to between `u` and its successor, reversed
   * if asked. The nodes between the old and the new place shift by `length`; whichever side is
   * shorter is shifted.
   */
  private moveSegment(firstPos: number, length: number, u: number, reversed: boolean): void {
    const { n, tour, pos, scratch } = this;
    for (let t = 0; t < length; t++) scratch[t] = tour[(firstPos + t) % n]!;
    const afterPos = (firstPos + length) % n;
    const uPos = pos[u]!;
    const forward = ((uPos - afterPos + n) % n) + 1; // nodes from the segment's successor to u
    const backward = n - length - forward; // nodes from u's successor to the segment's predecessor
    let writeAt: number;
    if (forward <= backward) {
      for (let t = 0; t < forward; t++) {
        const city = tour[(afterPos + t) % n]!;
        const to = (firstPos + t) % n;
        tour[to] = city;
        pos[city] = to;
      }
      writeAt = (firstPos + forward) % n;
    } else {
      const vPos = (uPos + 1) % n;
      for (let t = backward - 1; t >= 0; t--) {
        const city = tour[(vPos + t) % n]!;
        const to = (vPos + t + length) % n;
        tour[to] = city;
        pos[city] = to;
      }
      writeAt = vPos;
    }
    for (let t = 0; t < length; t++) {
      const city = scratch[reversed ? length - 1 - t : t]!;
      const to = (writeAt + t) % n;
      tour[to] = city;
      pos[city] = to;
    }
  }

  /**
   * The kick: a double bridge (… a B C d … becomes … a C B d …), a change no sequence of 2-opt and
   * Or-opt moves undoes easily, on two short adjacent stretches at a random place. Returns the change
   * in length and queues the six nodes it touched.
   */
  doubleBridge(random: Random, longest: number): number {
    const { n, tour, pos, scratch } = this;
    const lengthB = 1 + randomInt(random, longest);
    const lengthC = 1 + randomInt(random, longest);
    if (lengthB + lengthC + 2 > n) return 0;
    const aPos = randomInt(random, n);
    const a = tour[aPos]!;
    const b1 = tour[(aPos + 1) % n]!;
    const b2 = tour[(aPos + lengthB) % n]!;
    const c1 = tour[(aPos + lengthB + 1) % n]!;
    const c2 = tour[(aPos + lengthB + lengthC) % n]!;
    const e = tour[(aPos + lengthB + lengthC + 1) % n]!;
    const delta = this.dist(a, c1) + this.dist(c2, b1) + this.dist(b2, e) - this.dist(a, b1) - this.dist(b2, c1) - this.dist(c2, e);
    for (let t = 0; t < lengthC; t++) scratch[t] = tour[(aPos + lengthB + 1 + t) % n]!;
    for (let t = 0; t < lengthB; t++) scratch[lengthC + t] = tour[(aPos + 1 + t) % n]!;
    for (let t = 0; t < lengthB + lengthC; t++) {
      const city = scratch[t]!;
      const to = (aPos + 1 + t) % n;
      tour[to] = city;
      pos[city] = to;
    }
    this.touch(a, b1, b2, c1, c2, e);
    return delta;
  }
}

