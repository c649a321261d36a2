// A log kept in memory the way the center's storage will keep it: the stored hashes in storage
// order, appended with storedHashes for each record.
import { hashReaderFromArray, storedHashes, type Hash } from '../../../src/tlog/index.js';
import { leafData } from './merkle-reference.js';

export class MemoryLog {
  readonly stored: Hash[] = [];
  readonly reader = hashReaderFromArray(this.stored);
  size = 0;

  /** Appends a record and returns its index. */
  async append(data: Uint8Array): Promise<number> {
    const hashes = await storedHashes(this.size, data, this.reader);
    this.stored.push(...hashes);
    return this.size++;
  }

  /** A log of `size` records "leaf 0", "leaf 1", … */
  static async ofSize(size: number): Promise<MemoryLog> {
    const log = new MemoryLog();
    for (let i = 0; i < size; i++) await log.append(leafData(i));
    return log;
  }
}

/** A copy of a hash with one bit flipped. */
export function flipBit(hash: Uint8Array, bit = 0): Uint8Array {
  const copy = Uint8Array.from(hash);
  copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
  return copy;
}
