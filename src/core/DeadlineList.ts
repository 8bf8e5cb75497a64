/**
 * Things that fall due at a time on the poll clock, earliest first (a binary min-heap,
 * first-come first-served among equal times). Owners check it inside `poll()` instead of
 * starting a timer per peer, so idle peers cost nothing until one of them is due.
 */
export class DeadlineList<T> {
  #times: number[] = [];
  #order: number[] = [];
  #items: T[] = [];
  #nextOrder = 0;
  /** Entries removed before they fell due; skipped when they reach the top. Never holds the top. */
  #removed: Set<T> | null = null;

  /** The number of entries. */
  get size(): number {
    return this.#items.length - (this.#removed === null ? 0 : this.#removed.size);
  }

  /** The earliest time, or `Infinity` when empty. */
  get nextTime(): number {
    return this.#items.length > 0 ? this.#times[0]! : Number.POSITIVE_INFINITY;
  }

  /** Adds `item`, due at `time`. */
  add(time: number, item: T): void {
    this.#insert(time, this.#nextOrder++, item);
  }

  /**
   * Removes `item`, which must be in the list (once), before it falls due. The entry is
   * forgotten at once when it is the earliest or when nothing else is left, otherwise
   * when it reaches the top (or when removed entries make up half the list).
   */
  remove(item: T): void {
    const items = this.#items;
    if (items.length === 0) return;
    if (items[0] === item) {
      this.#popTop();
      return;
    }
    this.#removed ??= new Set();
    this.#removed.add(item);
    if (this.#removed.size >= items.length) this.clear();
    else if (this.#removed.size >= 64 && this.#removed.size * 2 >= items.length) this.#rebuild();
  }

  /** Removes and returns the earliest entry if it is due at `now`; otherwise `undefined`. */
  takeDue(now: number): T | undefined {
    if (this.#items.length === 0 || this.#times[0]! > now) return undefined;
    const item = this.#items[0]!;
    this.#popTop();
    return item;
  }

  /** Removes every entry and returns their items, in no particular order. */
  takeAll(): T[] {
    const removed = this.#removed;
    const items = removed === null ? this.#items : this.#items.filter((item) => !removed.has(item));
    this.clear();
    return items;
  }

  /** Removes every entry. */
  clear(): void {
    this.#times = [];
    this.#order = [];
    this.#items = [];
    this.#removed = null;
  }

  #insert(time: number, order: number, item: T): void {
    let i = this.#items.length;
    this.#times.push(time);
    this.#order.push(order);
    this.#items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** Drops the top entry, then any removed entries that surface. */
  #popTop(): void {
    this.#pop();
    const removed = this.#removed;
    if (removed === null) return;
    while (this.#items.length > 0 && removed.delete(this.#items[0]!)) this.#pop();
    if (removed.size === 0) this.#removed = null;
  }

  /** Rebuilds the heap without the removed entries. */
  #rebuild(): void {
    const removed = this.#removed!;
    const times = this.#times;
    const order = this.#order;
    const items = this.#items;
    this.#times = [];
    this.#order = [];
    this.#items = [];
    this.#removed = null;
    for (let i = 0; i < items.length; i++) {
      if (!removed.has(items[i]!)) this.#insert(times[i]!, order[i]!, items[i]!);
    }
  }

  #pop(): void {
    const last = this.#items.length - 1;
    this.#swap(0, last);
    this.#times.pop();
    this.#order.pop();
    this.#items.pop();
    const n = this.#items.length;
    let i = 0;
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
    const item = this.#items[i]!;
    this.#items[i] = this.#items[j]!;
    this.#items[j] = item;
  }
}
