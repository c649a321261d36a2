// The published statements of a CompactTally, in typed arrays rather than one object (or string)
// each: about 50 bytes a statement instead of 130, so the tally of a 700,000-statement log fits
// in some 35 MB. A statement lives in a slot: its channel, the day of its `published` entry, its
// commitment (32 bytes) and its persons (2 bytes each: organisation mask, region index, in a pool
// that only grows — bounded by the persons of the log's entries). Registration numbers come in
// increasing order in practice (assigned at publication, backfilled in order), so they are kept
// sorted for a binary search; the few that do not are in a Map.

const NOT_PUBLISHED = 0;

export class StatementTable {
  private numbers = new Float64Array(1024);
  private sortedSlots = new Int32Array(1024);
  private sorted = 0;
  private readonly unsorted = new Map<number, number>();
  private slots = 0;
  /** Per slot: 0 when not published, else 1 + the channel's index. */
  private state = new Uint8Array(1024);
  private days = new Int32Array(1024);
  private commitments = new Uint8Array(1024 * 32);
  private personsAt = new Uint32Array(1024);
  private personsCount = new Uint16Array(1024);
  private pool = new Uint8Array(1 << 16);
  private poolUsed = 0;
  /** Statements published now. */
  size = 0;

  /** The slot of a published statement, or -1. */
  find(number: number): number {
    const slot = this.slotOf(number);
    return slot >= 0 && this.state[slot] !== NOT_PUBLISHED ? slot : -1;
  }

  /** Publishes (or replaces) a statement. `persons` is 2 characters a person (char codes < 256). */
  set(number: number, channel: number, day: number, commitment: Uint8Array, persons: string): void {
    let slot = this.slotOf(number);
    if (slot < 0) slot = this.newSlot(number);
    if (this.state[slot] === NOT_PUBLISHED) this.size++;
    this.state[slot] = 1 + channel;
    this.days[slot] = day;
    this.commitments.set(commitment, slot * 32);
    this.setPersons(slot, persons);
  }

  /** Replaces the persons of a published statement (fewer, after a retraction: written in place). */
  setPersons(slot: number, persons: string): void {
    const count = persons.length / 2;
    // personsCount is also the room the slot has in the pool (a retraction only shrinks it).
    if (count > this.personsCount[slot]!) this.personsAt[slot] = this.allocate(persons.length);
    const at = this.personsAt[slot]!;
    for (let i = 0; i < persons.length; i++) this.pool[at + i] = persons.charCodeAt(i);
    this.personsCount[slot] = count;
  }

  unpublish(slot: number): void {
    this.state[slot] = NOT_PUBLISHED;
    this.personsCount[slot] = 0;
    this.size--;
  }

  channel(slot: number): number {
    return this.state[slot]! - 1;
  }

  day(slot: number): number {
    return this.days[slot]!;
  }

  commitment(slot: number): Uint8Array {
    return this.commitments.subarray(slot * 32, slot * 32 + 32);
  }

  /** The persons, 2 characters each. */
  persons(slot: number): string {
    const at = this.personsAt[slot]!;
    return String.fromCharCode(...this.pool.subarray(at, at + 2 * this.personsCount[slot]!));
  }

  /** Every published statement's number and slot. */
  *published(): Generator<[number, number]> {
    for (let i = 0; i < this.sorted; i++) if (this.state[this.sortedSlots[i]!] !== NOT_PUBLISHED) yield [this.numbers[i]!, this.sortedSlots[i]!];
    for (const [number, slot] of this.unsorted) if (this.state[slot] !== NOT_PUBLISHED) yield [number, slot];
  }

  private slotOf(number: number): number {
    let lo = 0;
    let hi = this.sorted - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const n = this.numbers[mid]!;
      if (n === number) return this.sortedSlots[mid]!;
      if (n < number) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.unsorted.get(number) ?? -1;
  }

  private newSlot(number: number): number {
    const slot = this.slots++;
    if (slot === this.state.length) this.growSlots();
    if (this.sorted === 0 || number > this.numbers[this.sorted - 1]!) {
      if (this.sorted === this.numbers.length) {
        this.numbers = grow(this.numbers, this.sorted * 2);
        this.sortedSlots = grow(this.sortedSlots, this.sorted * 2);
      }
      this.numbers[this.sorted] = number;
      this.sortedSlots[this.sorted++] = slot;
    } else {
      this.unsorted.set(number, slot);
    }
    return slot;
  }

  private growSlots(): void {
    const n = this.state.length * 2;
    this.state = grow(this.state, n);
    this.days = grow(this.days, n);
    this.commitments = grow(this.commitments, n * 32);
    this.personsAt = grow(this.personsAt, n);
    this.personsCount = grow(this.personsCount, n);
  }

  private allocate(bytes: number): number {
    if (this.poolUsed + bytes > this.pool.length) this.pool = grow(this.pool, Math.max(this.pool.length * 2, this.poolUsed + bytes));
    const at = this.poolUsed;
    this.poolUsed += bytes;
    return at;
  }
}

type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

function grow<T extends Typed>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array as never);
  return bigger;
}
