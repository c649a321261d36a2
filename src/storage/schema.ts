/** Row shape of `submission`: one statement as received. Timestamps are ISO-8601 UTC strings. */
export interface SubmissionTable {
  id: string;
  receipt_hash: string;
  language: string;
  title: string | null;
  text: string | null;
  /** age-encrypted, ASCII-armoured; the server cannot read it. */
  contact_ciphertext: string | null;
  status: string;
  channel: string;
  proof_of_work: number;
  flagged: number;
  received_at: string;
  updated_at: string;
}

/** Row shape of `declarant`: one person of a submission, in the order given. */
export interface DeclarantTable {
  submission_id: string;
  position: number;
  display_name: string;
  name_kind: string;
  party: number;
  youth_league: number;
  young_pioneers: number;
  region: string;
  occupation: string | null;
}

export interface Schema {
  submission: SubmissionTable;
  declarant: DeclarantTable;
}
