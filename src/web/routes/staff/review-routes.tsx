import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QUEUE_PAGE_SIZE, readEntryFor, readQueue } from '../../../commands/review-queue.js';
import { listStaffAccounts } from '../../../commands/staff-accounts.js';
import { editStatement } from '../../../commands/statement-editor.js';
import { featureStatement } from '../../../commands/publication/statement-featurer.js';
import { approveSubmissions } from '../../../commands/publication/submission-approver.js';
import { markDuplicate, rejectSubmissions } from '../../../commands/submission-rejecter.js';
import { ServiceError, type FieldError } from '../../../domain/service-error.js';
import { ENTRY, REVIEWERS } from '../../../domain/staff-access.js';
import type { AppContext } from '../../app-context.js';
import type { FormFields } from '../../plugins/body-parsers.js';
import { QueuePage } from '../../views/staff/queue-page.js';
import { SubmissionPage } from '../../views/staff/submission-page.js';
import { submissionHref } from '../../views/staff/submission-parts.js';
import { formList, formText, rethrowUnlessShown, sendPage, viewerOf } from './console-support.js';
import { queueFilters, queueHref, readQueueQuery, type QueueQuery } from './queue-query.js';
import { noticeParams, noticeText, type ReviewDone } from './review-notice.js';

type IdRequest = { Params: { id: string }; Body: FormFields; Querystring: Record<string, string> };
/** As many as the JSON API takes in one bulk action. */
const MAX_BULK = 500;

/** The review queue, bulk actions, one submission's page and its actions. */
export function registerReviewPages(scope: FastifyInstance, ctx: AppContext): void {
  scope.get<{ Querystring: Record<string, string> }>('/queue', { config: { roles: REVIEWERS } }, (request, reply) =>
    showQueue(ctx, request, reply, readQueueQuery(request.query), noticeText(request.query, viewerOf(request).locale), 200, []),
  );

  scope.post<{ Body: FormFields }>('/queue/bulk', { config: { roles: REVIEWERS } }, async (request, reply) => {
    const query = queryFromForm(request.body);
    try {
      const done = await bulkAction(ctx, request);
      return reply.redirect(queueHref(query, noticeParams(done)), 303);
    } catch (error) {
      const known = rethrowUnlessShown(error);
      return showQueue(ctx, request, reply, query, null, known.status, known.errors);
    }
  });

  scope.get<IdRequest>('/submissions/:id', { config: { roles: ENTRY } }, (request, reply) =>
    showSubmission(ctx, request, reply, { notice: noticeText(request.query, viewerOf(request).locale) }),
  );

  reviewAction(scope, ctx, 'approve', async (request) => {
    const [published] = await approveSubmissions(ctx.database, [request.params.id], request.staffMember!);
    return { done: 'approved', first: published!.registrationNumber, last: published!.registrationNumber };
  });
  reviewAction(scope, ctx, 'reject', async (request) => {
    await rejectSubmissions(ctx.database, [request.params.id], formText(request.body, 'reason'), request.staffMember!);
    return { done: 'rejected', count: 1 };
  });
  reviewAction(scope, ctx, 'duplicate', async (request) => {
    const of = formText(request.body, 'ofHint') || formText(request.body, 'of').trim();
    await markDuplicate(ctx.database, request.params.id, of, request.staffMember!);
    return { done: 'duplicate' };
  });
  reviewAction(scope, ctx, 'edit', async (request) => {
    const edit = { title: formText(request.body, 'title'), text: formText(request.body, 'text') };
    await editStatement(ctx.database, request.params.id, edit, request.staffMember!);
    return { done: 'edited' };
  });
  reviewAction(scope, ctx, 'feature', async (request) => {
    const featured = formText(request.body, 'featured') !== 'no';
    await featureStatement(ctx.database, request.params.id, featured, request.staffMember!);
    return { done: featured ? 'featured' : 'unfeatured' };
  });
}

/**
 * POST /staff/submissions/:id/{name}: on success 303 back where the form came from, with what
 * was done; on a refusal the submission's page again, with the errors and the input kept.
 */
function reviewAction(scope: FastifyInstance, ctx: AppContext, name: string, run: (request: FastifyRequest<IdRequest>) => Promise<ReviewDone>): void {
  scope.post<IdRequest>(`/submissions/:id/${name}`, { config: { roles: REVIEWERS } }, async (request, reply) => {
    try {
      const done = await run(request);
      return reply.redirect(returnAddress(request, done), 303);
    } catch (error) {
      const known = rethrowUnlessShown(error);
      if (known.code === 'not_found' && known.field === undefined) throw known;
      const kept = name === 'edit' ? { editValues: { title: formText(request.body, 'title'), text: formText(request.body, 'text') } } : {};
      const duplicateOf = name === 'duplicate' ? { duplicateOf: formText(request.body, 'of') } : {};
      return showSubmission(ctx, request, reply, { status: known.status, errors: known.errors, ...kept, ...duplicateOf });
    }
  });
}

async function bulkAction(ctx: AppContext, request: FastifyRequest<{ Body: FormFields }>): Promise<ReviewDone> {
  const action = formText(request.body, 'action');
  const ids = formList(request.body, 'ids');
  if (action !== 'approve' && action !== 'reject') throw new ServiceError({ code: 'not_in_list', field: 'action' });
  if (ids.length === 0) throw new ServiceError({ code: 'required', field: 'ids' });
  if (ids.length > MAX_BULK) throw new ServiceError({ code: 'too_many', field: 'ids', max: MAX_BULK });
  if (action === 'reject') {
    await rejectSubmissions(ctx.database, ids, formText(request.body, 'reason'), request.staffMember!);
    return { done: 'rejected', count: ids.length };
  }
  const numbers = (await approveSubmissions(ctx.database, ids, request.staffMember!)).map((p) => p.registrationNumber);
  return { done: 'approved', first: Math.min(...numbers), last: Math.max(...numbers) };
}

async function showQueue(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  query: QueueQuery,
  notice: string | null,
  status: number,
  errors: FieldError[],
) {
  const [items, staffNames] = await Promise.all([readQueue(ctx.database, queueFilters(query), query.page), staffNamesOf(ctx)]);
  const page = (
    <QueuePage viewer={viewerOf(request)} query={query} items={items} pageSize={QUEUE_PAGE_SIZE} staffNames={staffNames} notice={notice} errors={errors} />
  );
  return sendPage(reply, page, status);
}

interface Shown {
  status?: number;
  errors?: FieldError[];
  notice?: string | null;
  editValues?: { title: string; text: string };
  duplicateOf?: string;
}

async function showSubmission(ctx: AppContext, request: FastifyRequest<IdRequest>, reply: FastifyReply, shown: Shown) {
  const viewer = viewerOf(request);
  // Volunteers: their own entries only, and without duplicate hints (which name other statements).
  const item = await readEntryFor(ctx.database, request.params.id, viewer.member);
  const page = (
    <SubmissionPage
      viewer={viewer}
      item={item}
      staffNames={await staffNamesOf(ctx)}
      notice={shown.notice ?? null}
      errors={shown.errors ?? []}
      editValues={shown.editValues}
      duplicateOf={shown.duplicateOf}
    />
  );
  return sendPage(reply, page, shown.status ?? 200);
}

/** Where a review form goes back to; rebuilt from known values, never a URL from the request. */
function returnAddress(request: FastifyRequest<IdRequest>, done: ReviewDone): string {
  const params = noticeParams(done);
  if (formText(request.body, 'back') === 'queue') return queueHref(queryFromForm(request.body), params);
  const search = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return `${submissionHref(request.params.id)}?${search}`;
}

function queryFromForm(body: FormFields | undefined): QueueQuery {
  return readQueueQuery(Object.fromEntries(new URLSearchParams(formText(body, 'q'))));
}

/** Staff ids to names, to say who entered or did what (a small table). */
export async function staffNamesOf(ctx: AppContext): Promise<Map<string, string>> {
  return new Map((await listStaffAccounts(ctx.database)).map((a) => [a.id, a.name]));
}
