export * from './errors.js';
export { HASH_SIZE, emptyTreeHash, hashReaderFromArray, nodeHash, recordHash, splitStoredHashIndex, storedHashCount, storedHashIndex, storedHashes, storedHashesForRecordHash, treeHash, type Hash, type HashReader } from './hash.js';
export * from './proofs.js';
export * from './tiles.js';
export * from './tile-path.js';
export * from './entry-bundle.js';
export * from './note-keys.js';
export * from './note.js';
