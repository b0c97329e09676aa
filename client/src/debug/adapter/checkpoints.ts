// The debug adapter's checkpoints (docs/vm-protocol.md, "Checkpoints"): which exist, which one to
// resume to reach a step, which to end when there are too many. Bookkeeping only: session.ts talks
// to the processes. A checkpoint is known from two sides — the live VM's "checkpoint" event (in
// order with its stops, so the breakpoint hit counts of that moment go with it) and the
// checkpoint's own connection — and can be resumed once it has its connection.

export interface Checkpoint<C> {
  pid: number;
  /** The line step it was taken at (before that step's stop decision). */
  steps: number;
  /** Its own connection to the adapter, once it has connected. */
  control: C | null;
  /** The breakpoints' hit counts when it was taken (in the adapter's order), and their version. */
  hits: number[] | null;
  bpVersion: number;
  /** Being resumed: not thinned meanwhile. */
  busy?: boolean;
}

export class Checkpoints<C> {
  private readonly byPid = new Map<number, Checkpoint<C>>();
  /** Those removed: one that connects after it was removed is ended at once. */
  private readonly ended = new Set<number>();

  /** At most `max` connected checkpoints are kept. */
  constructor(readonly max: number) {}

  /** The entry for pid, made on first sight; null for one already removed. */
  entry(pid: number, steps: number): Checkpoint<C> | null {
    if (this.ended.has(pid)) return null;
    let e = this.byPid.get(pid);
    if (!e) {
      e = { pid, steps, control: null, hits: null, bpVersion: -1 };
      this.byPid.set(pid, e);
    }
    return e;
  }

  get(pid: number): Checkpoint<C> | undefined {
    return this.byPid.get(pid);
  }

  delete(pid: number): void {
    this.byPid.delete(pid);
    this.ended.add(pid);
  }

  get size(): number {
    return this.byPid.size;
  }

  /** Those connected and accepted by `usable`, earliest first. */
  list(usable: (e: Checkpoint<C>) => boolean = () => true): Checkpoint<C>[] {
    return [...this.byPid.values()].filter((e) => e.control !== null && usable(e)).sort((a, b) => a.steps - b.steps || a.pid - b.pid);
  }

  /** The latest usable one at or before `step`: resumed, it re-runs the least. */
  before(step: number, usable: (e: Checkpoint<C>) => boolean): Checkpoint<C> | null {
    let best: Checkpoint<C> | null = null;
    for (const e of this.list(usable)) if (e.steps <= step) best = e;
    return best;
  }

  /**
   * Over the bound: every other one of the older half goes (never the first, at the program's
   * start), so checkpoints stay dense near where the program is and thin out towards its start.
   * Returns those removed (to be ended).
   */
  thin(): Checkpoint<C>[] {
    const all = this.list();
    if (all.length <= this.max) return [];
    const gone: Checkpoint<C>[] = [];
    for (let i = 1; i < Math.floor(all.length / 2); i += 2) if (!all[i].busy) gone.push(all[i]);
    for (const e of gone) this.delete(e.pid);
    return gone;
  }

  /** Removes and returns those taken after `step` (a different future may follow it). */
  after(step: number): Checkpoint<C>[] {
    const gone = [...this.byPid.values()].filter((e) => e.steps > step);
    for (const e of gone) this.delete(e.pid);
    return gone;
  }

  /** Removes and returns all (the session's processes end; new ones start afresh). */
  clear(): Checkpoint<C>[] {
    const all = [...this.byPid.values()];
    this.byPid.clear();
    this.ended.clear();
    return all;
  }
}
