/**
 * Work scheduled on a {@link MemoryNetwork}'s virtual clock: a min-heap ordered by time,
 * then by scheduling order, so equal times run first-come first-served and every run
 * repeats exactly.
 */
export class VirtualScheduler {
  #times: number[] = [];
  #order: number[] = [];
  #tasks: (() => void)[] = [];
  #nextOrder = 0;

  /** The number of pending tasks. */
  get size(): number {
    return this.#tasks.length;
  }

  /** The time of the earliest pending task, or `Infinity`. */
  get nextTime(): number {
    return this.#tasks.length > 0 ? this.#times[0]! : Number.POSITIVE_INFINITY;
  }

  /** Schedules `task` at `time`. */
  schedule(time: number, task: () => void): void {
    let i = this.#tasks.length;
    const order = this.#nextOrder++;
    this.#times.push(time);
    this.#order.push(order);
    this.#tasks.push(task);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the earliest task. Only call when `size > 0`. */
  take(): () => void {
    const task = this.#tasks[0]!;
    const last = this.#tasks.length - 1;
    this.#swap(0, last);
    this.#times.pop();
    this.#order.pop();
    this.#tasks.pop();
    let i = 0;
    const n = this.#tasks.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.#before(left, smallest)) smallest = left;
      if (right < n && this.#before(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.#swap(i, smallest);
      i = smallest;
    }
    return task;
  }

  #before(i: number, j: number): boolean {
    const ti = this.#times[i]!;
    const tj = this.#times[j]!;
    return ti < tj || (ti === tj && this.#order[i]! < this.#order[j]!);
  }

  #swap(i: number, j: number): void {
    const t = this.#times[i]!;
    this.#times[i] = this.#times[j]!;
    this.#times[j] = t;
    const o = this.#order[i]!;
    this.#order[i] = this.#order[j]!;
    this.#order[j] = o;
    const k = this.#tasks[i]!;
    this.#tasks[i] = this.#tasks[j]!;
    this.#tasks[j] = k;
  }
}
