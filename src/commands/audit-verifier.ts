import { auditHash, GENESIS_HASH } from '../domain/audit-chain.js';
import { auditHead, listAuditEntries } from '../storage/audit.repository.js';
import type { Database } from '../storage/database.js';

export type AuditVerdict =
  | { ok: true; entries: number }
  | { ok: false; seq: number; problem: 'altered' | 'missing'; entries: number };

/**
 * Walks the audit log in order and recomputes the hash chain. Names the first entry that was
 * altered (its hash or its link no longer match) or is missing (a gap in the sequence, or
 * entries removed from the end, which the sequence counter still remembers).
 */
export async function verifyAuditChain(database: Database, onProgress?: (checked: number) => void): Promise<AuditVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await listAuditEntries(database.db, expectedSeq - 1, 1000);
    if (page.length === 0) break;
    for (const entry of page) {
      if (entry.seq !== expectedSeq) return { ok: false, seq: expectedSeq, problem: 'missing', entries: expectedSeq - 1 };
      if (entry.prev_hash !== prevHash || auditHash(prevHash, entry) !== entry.hash) {
        return { ok: false, seq: entry.seq, problem: 'altered', entries: expectedSeq - 1 };
      }
      prevHash = entry.hash;
      expectedSeq++;
    }
    onProgress?.(expectedSeq - 1);
  }
  const head = await auditHead(database.db);
  if (head >= expectedSeq) return { ok: false, seq: expectedSeq, problem: 'missing', entries: expectedSeq - 1 };
  return { ok: true, entries: expectedSeq - 1 };
}
