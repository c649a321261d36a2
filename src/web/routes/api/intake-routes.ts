import type { FastifyInstance } from 'fastify';
import { readReceipt } from '../../../commands/receipt-reader.js';
import { retractStatement } from '../../../commands/publication/statement-retractor.js';
import type { AppContext } from '../../app-context.js';
import { limitReceiptUse, receiveSubmission } from '../../intake.js';
import { refuseCrossSite } from '../../plugins/cross-site-refusal.js';

/**
 * Public JSON API of intake, under /api/v1 (README "JSON API"). Its clients are mostly not
 * browsers and send no fetch metadata; a browser that says another site's page sent the request
 * is refused, as the forms are.
 */
export function registerIntakeApi(app: FastifyInstance, ctx: AppContext): void {
  app.get('/challenge', async () => ctx.proofOfWork.challenge());

  app.post('/submissions', { config: { intake: true }, onRequest: refuseCrossSite }, async (request, reply) => {
    const created = await receiveSubmission(ctx, request.body, request.ip);
    return reply.code(201).send(created);
  });

  app.post('/receipt', { onRequest: refuseCrossSite }, async (request) => {
    limitReceiptUse(ctx, request.ip);
    return readReceipt(ctx.database, receiptOf(request.body));
  });

  app.post('/receipt/retract', { onRequest: refuseCrossSite }, async (request) => {
    limitReceiptUse(ctx, request.ip);
    return retractStatement(ctx.database, receiptOf(request.body));
  });
}

function receiptOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>).receipt : undefined;
}
