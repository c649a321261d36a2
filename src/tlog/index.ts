/**
 * The C2SP transparency-log formats, pure and without dependencies beyond node:crypto: what the
 * center's log (issue 14, "A count anyone can verify") is built from. Conformance target is Go's
 * golang.org/x/mod/sumdb/tlog and sumdb/note; the tests hold this to their vectors.
 *
 * - hash.ts — RFC 6962 record and node hashes; the dense order in which a log stores its
 *   hashes (storedHashIndex, storedHashes for each appended record); treeHash of any size.
 * - proofs.ts — inclusion (proveRecord / checkRecord) and consistency (proveTree / checkTree)
 *   proofs, hash for hash as RFC 6962 and Go make them.
 * - tiles.ts — tlog-tiles: which tiles a tree has (tilesForSize, newTiles), a tile's bytes from
 *   stored hashes (readTileData), the root from tiles (treeHashFromTiles), and a hash reader that
 *   proves every tile it reads against a checkpoint's root (tileHashReader, verifyTile).
 * - tile-path.ts — `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, written and parsed strictly.
 * - entry-bundle.ts — entry bundles (uint16-length-prefixed records) and their check against a tile.
 * - note-keys.ts, note.ts — signed notes with Ed25519 (type 0x01): key strings, key IDs, key
 *   generation, signing, and opening against known keys (unknown signatures kept unverified).
 * - checkpoint.ts — tlog-checkpoint bodies: origin, size, root hash, extension lines.
 * - cosignature.ts — tlog-cosignature/v1 with Ed25519 (type 0x04): timestamped witness signatures.
 * - witness-protocol.ts — the tlog-witness add-checkpoint request and answers.
 *
 * Failures are typed (errors.ts): MalformedError for input that breaks a format, ProofError for
 * a log that is not what it claims, and the note errors of Go's note.Open. Sizes and indexes are
 * numbers: a log holds at most 2^52 records. Functions that take a reader are asynchronous, so a
 * reader may be a database or an HTTP client.
 */
export { AmbiguousKeyError, InvalidSignatureError, MalformedError, ProofError, UnverifiedNoteError } from './errors.js';
export {
  HASH_SIZE,
  emptyTreeHash,
  hashReaderFromArray,
  nodeHash,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  storedHashes,
  storedHashesForRecordHash,
  treeHash,
  type Hash,
  type HashReader,
} from './hash.js';
export { checkRecord, checkTree, proveRecord, proveTree, type RecordProof, type TreeProof } from './proofs.js';
export {
  TILE_HEIGHT,
  TILE_WIDTH,
  hashFromTile,
  newTiles,
  readTileData,
  tileForIndex,
  tileHashReader,
  tilesForSize,
  treeHashFromTiles,
  verifyTile,
  type ProvenHashReader,
  type Tile,
  type TileReader,
  type Tree,
} from './tiles.js';
export { MAX_TILE_LEVEL, entryBundlePath, parseEntryBundlePath, parseTilePath, tilePath } from './tile-path.js';
export { MAX_ENTRY_SIZE, checkEntryBundle, decodeEntryBundle, encodeEntryBundle } from './entry-bundle.js';
export {
  COSIGNATURE_V1_TYPE,
  ED25519_SIGNATURE_TYPE,
  ed25519VerifierKey,
  formatSignerKey,
  formatVerifierKey,
  generateKey,
  isValidKeyName,
  keyId,
  noteSigner,
  noteVerifier,
  parseSignerKey,
  parseVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  type SignerKey,
  type VerifierKey,
} from './note-keys.js';
export { MAX_NOTE_SIGNATURES, openNote, parseNote, parseSignatureLines, signatureLine, signNote, type Note, type NoteSignature } from './note.js';
export { formatCheckpoint, openCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.js';
export {
  MAX_COSIGNATURE_TIMESTAMP,
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosignatureVerifierKey,
  cosigner,
  generateCosignatureKey,
} from './cosignature.js';
export {
  MAX_CONSISTENCY_PROOF_LINES,
  TLOG_SIZE_CONTENT_TYPE,
  WITNESS_STATUS,
  formatAddCheckpointRequest,
  formatConflictBody,
  parseAddCheckpointRequest,
  parseConflictBody,
  parseCosignatureResponse,
  type AddCheckpointRequest,
} from './witness-protocol.js';
