import type { FastifyInstance } from 'fastify';
import { recordAssistedSubmission } from '../../../commands/assisted-entry.js';
import { readEntryFor, readQueue, readQueueItem } from '../../../commands/review-queue.js';
import { editStatement } from '../../../commands/statement-editor.js';
import { featureStatement } from '../../../commands/publication/statement-featurer.js';
import { approveSubmissions } from '../../../commands/publication/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../../commands/submission-rejecter.js';
import { ServiceError } from '../../../domain/service-error.js';
import { ADMINS, ENTRY, REVIEWERS } from '../../../domain/staff-access.js';
import { entriesOf } from '../../../storage/review.repository.js';
import { latestAuditEntries } from '../../../storage/audit.repository.js';
import type { AppContext } from '../../app-context.js';
import { registerStaffScope } from '../../plugins/staff-guard.js';
import { readAuditCursor } from '../staff/audit-cursor.js';
import { queueFilters, readQueueQuery } from '../staff/queue-query.js';
import { readEditBody, readFeatureBody } from './staff-bodies.js';


type IdParams = { Params: { id: string } };
type Body = Record<string, unknown> | undefined;

/** The staff JSON API under /api/v1/staff: bearer tokens from `rcenter token create`. */
export function registerStaffApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  return registerStaffScope(app, ctx, 'api', '/api/v1/staff', (api) => {
    api.get<{ Querystring: Record<string, unknown> }>('/queue', { config: { roles: REVIEWERS } }, async (request) => {
      // The console's reading of the filters: unknown values and impossible pages are dropped.
      const query = readQueueQuery(request.query);
      return { items: await readQueue(ctx.database, queueFilters(query), query.page) };
    });

    api.get<IdParams>('/submissions/:id', { config: { roles: ENTRY } }, async (request) =>
      readEntryFor(ctx.database, request.params.id, request.staffMember!),
    );

    api.post<IdParams>('/submissions/:id/approve', { config: { roles: REVIEWERS } }, async (request) => ({
      published: await approveSubmissions(ctx.database, [request.params.id], request.staffMember!),
    }));

    api.post<IdParams>('/submissions/:id/reject', { config: { roles: REVIEWERS } }, async (request) => {
      await rejectSubmissions(ctx.database, [request.params.id], (request.body as Body)?.reason, request.staffMember!);
      return { id: request.params.id, status: 'rejected' };
    });

    api.post<IdParams>('/submissions/:id/duplicate', { config: { roles: REVIEWERS } }, async (request) => {
      await markDuplicate(ctx.database, request.params.id, (request.body as Body)?.of, request.staffMember!);
      return { id: request.params.id, status: 'duplicate' };
    });

    api.post<IdParams>('/submissions/:id/edit', { config: { roles: REVIEWERS } }, async (request) => {
      await editStatement(ctx.database, request.params.id, readEditBody(request.body), request.staffMember!);
      return readQueueItem(ctx.database, request.params.id);
    });

    api.post<IdParams>('/submissions/:id/feature', { config: { roles: REVIEWERS } }, async (request) => {
      const featured = readFeatureBody(request.body);
      await featureStatement(ctx.database, request.params.id, featured, request.staffMember!);
      return { id: request.params.id, featured };
    });

    api.post('/approve', { config: { roles: REVIEWERS } }, async (request) => ({
      published: await approveSubmissions(ctx.database, idsOf(request.body), request.staffMember!),
    }));

    api.post('/reject', { config: { roles: REVIEWERS } }, async (request) => {
      const ids = idsOf(request.body);
      await rejectSubmissions(ctx.database, ids, (request.body as Body)?.reason, request.staffMember!);
      return { rejected: ids };
    });

    api.post('/assisted', { config: { roles: ENTRY } }, async (request, reply) => {
      const created = await recordAssistedSubmission(ctx.database, request.body, request.staffMember!, ctx.config.ageRecipients);
      return reply.code(201).send(created);
    });

    api.get('/entries', { config: { roles: ENTRY } }, async (request) => {
      const rows = await entriesOf(ctx.database.db, request.staffMember!.id, 200);
      return { entries: rows.map((r) => ({ id: r.id, status: r.status, channel: r.channel, receivedAt: r.received_at, registrationNumber: r.registration_number })) };
    });

    api.get<{ Querystring: { before?: string } }>('/audit', { config: { roles: ADMINS } }, async (request) => {
      return { entries: await latestAuditEntries(ctx.database.db, readAuditCursor(request.query.before), 100) };
    });
  });
}

function idsOf(body: unknown): string[] {
  const ids = (body as Body)?.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 500 || !ids.every((id) => typeof id === 'string')) {
    throw new ServiceError({ code: Array.isArray(ids) && ids.length > 500 ? 'too_many' : 'wrong_type', field: 'ids', max: 500 });
  }
  return ids;
}
