import type { Config } from '../config.js';
import type { Database } from '../storage/database.js';
import type { GroupCommit } from '../storage/group-commit.js';
import type { SubmissionRecord } from '../storage/submission.repository.js';
import type { PageCache } from './page-cache.js';
import type { StatementPageFiller } from './statement-page-filler.js';
import type { LogContext } from './routes/public/log-routes.js';
import type { ProofOfWork } from './plugins/proof-of-work.js';
import type { AccountThrottle } from './plugins/account-throttle.js';
import type { RateLimiter } from './plugins/rate-limiter.js';

/** What routes share: settings, the database and the in-memory guards. */
export interface AppContext {
  config: Config;
  database: Database;
  writer: GroupCommit<SubmissionRecord>;
  limiter: RateLimiter;
  /** Failed sign-ins per existing staff account, apart from every other limit. */
  accounts: AccountThrottle;
  proofOfWork: ProofOfWork;
  /** Hot public pages, dropped whenever the publication log's head moves on. */
  pages: PageCache;
  /** Search result pages, apart: a flood of random queries cannot push hot pages out. */
  searches: PageCache;
  /** Stores the statement pages read and not found stored, in the background. */
  statementPages: StatementPageFiller;
  /** The transparency log: who it is, its latest checkpoint, the witnesses' cosignatures. */
  log: LogContext;
}
