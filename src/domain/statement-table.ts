// The published statements of a CompactTally, in typed arrays rather than one object (or string)
// each: about 60 bytes a statement instead of 130, so the tally of a 700,000-statement log fits
// in some 45 MB. A statement lives in a slot: its channel, the day of its `published` entry, its
// commitment (32 bytes) and its persons (2 bytes each: organisation mask, region index, in a pool
// that only grows — bounded by the persons of the log's entries). Registration numbers come in
// increasing order in practice (assigned at publication, backfilled in order), so they are kept
// sorted for a binary search; the few that do not are in a Map.

const NOT_PUBLISHED = 0;

export class StatementTable {
  // Registration numbers in increasing order, and the slot of each.
  private readonly numbers = new Column((n) => new Float64Array(n));
  private readonly sortedSlots = new Column((n) => new Int32Array(n));
  private sorted = 0;
  private readonly unsorted = new Map<number, number>();
  private slots = 0;
  /** Per slot: 0 when not published, else 1 + the channel's index. */
  private readonly state = new Column((n) => new Uint8Array(n));
  private readonly days = new Column((n) => new Int32Array(n));
  private readonly commitments = new Column((n) => new Uint8Array(n), 32);
  private readonly personsAt = new Column((n) => new Uint32Array(n));
  private readonly personsCount = new Column((n) => new Uint16Array(n));
  private pool = new Uint8Array(1 << 16);
  private poolUsed = 0;
  /** Statements published now. */
  size = 0;

  /** The slot of a published statement, or -1. */
  find(number: number): number {
    const slot = this.slotOf(number);
    return slot >= 0 && this.state.get(slot) !== NOT_PUBLISHED ? slot : -1;
  }

  /** Publishes (or replaces) a statement. `persons` is 2 characters a person (char codes < 256). */
  set(number: number, channel: number, day: number, commitment: Uint8Array, persons: string): void {
    let slot = this.slotOf(number);
    if (slot < 0) slot = this.newSlot(number);
    if (this.state.get(slot) === NOT_PUBLISHED) this.size++;
    this.state.put(slot, 1 + channel);
    this.days.put(slot, day);
    this.commitments.reserve(slot);
    this.commitments.view(slot).set(commitment);
    this.setPersons(slot, persons);
  }

  /** Replaces the persons of a published statement (fewer, after a retraction: written in place). */
  setPersons(slot: number, persons: string): void {
    const count = persons.length / 2;
    // personsCount is also the room the slot has in the pool (a retraction only shrinks it).
    if (count > this.personsCount.get(slot)) this.personsAt.put(slot, this.allocate(persons.length));
    const at = this.personsAt.get(slot);
    for (let i = 0; i < persons.length; i++) this.pool[at + i] = persons.charCodeAt(i);
    this.personsCount.put(slot, count);
  }

  unpublish(slot: number): void {
    this.state.put(slot, NOT_PUBLISHED);
    this.personsCount.put(slot, 0);
    this.size--;
  }

  channel(slot: number): number {
    return this.state.get(slot) - 1;
  }

  day(slot: number): number {
    return this.days.get(slot);
  }

  commitment(slot: number): Uint8Array {
    return this.commitments.view(slot);
  }

  /** The persons, 2 characters each. */
  persons(slot: number): string {
    const at = this.personsAt.get(slot);
    return String.fromCharCode(...this.pool.subarray(at, at + 2 * this.personsCount.get(slot)));
  }

  /** Every published statement's number and slot. */
  *published(): Generator<[number, number]> {
    for (let i = 0; i < this.sorted; i++) if (this.state.get(this.sortedSlots.get(i)) !== NOT_PUBLISHED) yield [this.numbers.get(i), this.sortedSlots.get(i)];
    for (const [number, slot] of this.unsorted) if (this.state.get(slot) !== NOT_PUBLISHED) yield [number, slot];
  }

  private slotOf(number: number): number {
    let lo = 0;
    let hi = this.sorted - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const n = this.numbers.get(mid);
      if (n === number) return this.sortedSlots.get(mid);
      if (n < number) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.unsorted.get(number) ?? -1;
  }

  private newSlot(number: number): number {
    const slot = this.slots++;
    this.state.put(slot, NOT_PUBLISHED);
    this.personsCount.put(slot, 0);
    if (this.sorted === 0 || number > this.numbers.get(this.sorted - 1)) {
      this.numbers.put(this.sorted, number);
      this.sortedSlots.put(this.sorted++, slot);
    } else {
      this.unsorted.set(number, slot);
    }
    return slot;
  }

  private allocate(bytes: number): number {
    if (this.poolUsed + bytes > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + bytes));
      bigger.set(this.pool);
      this.pool = bigger;
    }
    const at = this.poolUsed;
    this.poolUsed += bytes;
    return at;
  }
}

type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A typed array in chunks of 65,536 slots, `width` elements each: it grows without copying and
 * wastes at most one chunk (a doubling array would hold up to twice the slots, and both copies
 * while it grows).
 */
class Column<T extends Typed> {
  private readonly chunks: T[] = [];

  constructor(
    private readonly make: (length: number) => T,
    private readonly width = 1,
  ) {}

  get(slot: number): number {
    return this.chunks[slot >>> CHUNK_BITS]![(slot & (CHUNK - 1)) * this.width]!;
  }

  put(slot: number, value: number): void {
    this.reserve(slot);
    this.chunks[slot >>> CHUNK_BITS]![(slot & (CHUNK - 1)) * this.width] = value;
  }

  /** The `width` elements of a slot (which must have been put). */
  view(slot: number): T {
    const at = (slot & (CHUNK - 1)) * this.width;
    return this.chunks[slot >>> CHUNK_BITS]!.subarray(at, at + this.width) as T;
  }

  /** Makes room for `slot` without writing it. */
  reserve(slot: number): void {
    while (slot >>> CHUNK_BITS >= this.chunks.length) this.chunks.push(this.make(CHUNK * this.width));
  }
}
