import type { FastifyInstance } from 'fastify';
import { listStaffAccounts } from '../../../commands/staff-accounts.js';
import { ADMINS } from '../../../domain/staff-access.js';
import { latestAuditEntries } from '../../../storage/audit.repository.js';
import type { AppContext } from '../../app-context.js';
import { AuditPage } from '../../views/staff/audit-page.js';
import { UsersPage } from '../../views/staff/users-page.js';
import { sendPage, viewerOf } from './console-support.js';
import { staffNamesOf } from './review-routes.js';
import { readAuditCursor } from './audit-cursor.js';

const AUDIT_PAGE_SIZE = 100;

/** Admin pages: the audit log and the list of accounts. */
export function registerAdminPages(scope: FastifyInstance, ctx: AppContext): void {
  scope.get<{ Querystring: { before?: string } }>('/audit', { config: { roles: ADMINS } }, async (request, reply) => {
    const before = readAuditCursor(request.query.before);
    const [entries, staffNames] = await Promise.all([latestAuditEntries(ctx.database.db, before, AUDIT_PAGE_SIZE), staffNamesOf(ctx)]);
    const olderBefore = entries.length === AUDIT_PAGE_SIZE ? entries.at(-1)!.seq : null;
    return sendPage(reply, <AuditPage viewer={viewerOf(request)} entries={entries} staffNames={staffNames} olderBefore={olderBefore} />);
  });

  scope.get('/users', { config: { roles: ADMINS } }, async (request, reply) =>
    sendPage(reply, <UsersPage viewer={viewerOf(request)} accounts={await listStaffAccounts(ctx.database)} />),
  );
}
