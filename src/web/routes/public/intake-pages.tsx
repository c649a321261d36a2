import type { FastifyInstance, FastifyReply } from 'fastify';
import { readReceipt } from '../../../commands/receipt-reader.js';
import { retractStatement } from '../../../commands/publication/statement-retractor.js';
import type { Locale } from '../../../domain/locales.js';
import { ServiceError } from '../../../domain/service-error.js';
import type { AppContext } from '../../app-context.js';
import { limitReceiptUse, receiveSubmission } from '../../intake.js';
import type { FormFields } from '../../plugins/body-parsers.js';
import { refuseCrossSite } from '../../plugins/cross-site-refusal.js';
import { emptyForm } from '../../views/form-values.js';
import { ReceiptPage } from '../../views/receipt-page.js';
import { ReceivedPage } from '../../views/received-page.js';
import { renderPage } from '../../views/render.js';
import { SubmitPage } from '../../views/submit-page.js';
import { localeOf } from './locale-param.js';
import { readSubmitForm } from './submit-form.js';

type LocaleParams = { Params: { locale: string } };

/**
 * Public pages of intake under /{locale}/: submit form, receipt look-up and retraction. Their
 * forms are refused when the browser says another site's page sent them (cross-site-refusal.ts).
 */
export function registerIntakePages(app: FastifyInstance, ctx: AppContext): void {
  const acceptsContact = ctx.config.ageRecipients.length > 0;

  app.get<LocaleParams>('/:locale/submit', async (request, reply) =>
    html(reply, <SubmitPage locale={localeOf(request.params)} values={emptyForm()} errors={[]} acceptsContact={acceptsContact} />),
  );

  app.post<LocaleParams & { Body: FormFields }>('/:locale/submit', { config: { intake: true }, onRequest: refuseCrossSite }, async (request, reply) => {
    const locale = localeOf(request.params);
    const form = readSubmitForm(request.body ?? {}, locale);
    const again = (status: number, errors: ServiceError['errors']) =>
      html(reply.code(status), <SubmitPage locale={locale} values={form.values} errors={errors} acceptsContact={acceptsContact} />);
    if (form.action === 'add-person') return again(200, []);
    if (form.honeypot !== '') return again(400, [{ code: 'spam_suspected', field: 'website' }]);
    try {
      const created = await receiveSubmission(ctx, form.input, request.ip);
      return html(reply.code(201), <ReceivedPage locale={locale} receipt={created.receipt} />);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status >= 500) throw error;
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return again(error.status, error.errors);
    }
  });

  app.get<LocaleParams>('/:locale/receipt', async (request, reply) =>
    html(reply, <ReceiptPage locale={localeOf(request.params)} receipt="" errors={[]} />),
  );

  app.post<LocaleParams & { Body: FormFields }>('/:locale/receipt', { onRequest: refuseCrossSite }, (request, reply) =>
    receiptAction(ctx, request.params, request.body, request.ip, reply, false),
  );

  app.post<LocaleParams & { Body: FormFields }>('/:locale/receipt/retract', { onRequest: refuseCrossSite }, (request, reply) =>
    receiptAction(ctx, request.params, request.body, request.ip, reply, true),
  );
}

async function receiptAction(
  ctx: AppContext,
  params: { locale: string },
  body: FormFields | undefined,
  address: string,
  reply: FastifyReply,
  retract: boolean,
) {
  const locale = localeOf(params);
  const receipt = typeof body?.receipt === 'string' ? body.receipt : '';
  try {
    limitReceiptUse(ctx, address);
    const status = retract ? await retractStatement(ctx.database, receipt) : await readReceipt(ctx.database, receipt);
    return html(reply, <ReceiptPage locale={locale} receipt={receipt} errors={[]} status={status} justRetracted={retract} />);
  } catch (error) {
    if (!(error instanceof ServiceError) || error.status >= 500) throw error;
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    return html(reply.code(error.status), <ReceiptPage locale={locale} receipt={receipt} errors={error.errors} />);
  }
}

function html(reply: FastifyReply, page: Parameters<typeof renderPage>[0]) {
  return reply.type('text/html; charset=utf-8').send(renderPage(page));
}
