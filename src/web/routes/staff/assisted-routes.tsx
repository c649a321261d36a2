import type { FastifyInstance } from 'fastify';
import { recordAssistedEntries } from '../../../commands/assisted-entry.js';
import { suggestPseudonym } from '../../../domain/pseudonym.js';
import { ENTRY } from '../../../domain/staff-access.js';
import { declarantsOfMany, entriesOf } from '../../../storage/review.repository.js';
import type { AppContext } from '../../app-context.js';
import type { FormFields } from '../../plugins/body-parsers.js';
import { AssistedPage } from '../../views/staff/assisted-page.js';
import { AssistedReceiptsPage } from '../../views/staff/assisted-receipts-page.js';
import { EntriesPage } from '../../views/staff/entries-page.js';
import { checkAssistedForm, emptyAssistedForm, readAssistedForm, withName } from './assisted-form.js';
import { sendPage, viewerOf } from './console-support.js';

/** How many of their own entries a volunteer sees at once, newest first. */
const ENTRIES_SHOWN = 200;

/** Assisted entry (one person or many, with channel and consent) and the volunteer's own entries. */
export function registerAssistedPages(scope: FastifyInstance, ctx: AppContext): void {
  scope.get('/assisted', { config: { roles: ENTRY } }, async (request, reply) => {
    const viewer = viewerOf(request);
    return sendPage(reply, <AssistedPage viewer={viewer} values={emptyAssistedForm(viewer.locale)} errors={[]} />);
  });

  scope.post<{ Body: FormFields }>('/assisted', { config: { roles: ENTRY } }, async (request, reply) => {
    const viewer = viewerOf(request);
    const { values, action } = readAssistedForm(request.body);
    if (action === 'suggest-pseudonym') {
      const suggested = suggestPseudonym();
      return sendPage(reply, <AssistedPage viewer={viewer} values={withName(values, suggested)} errors={[]} suggested={suggested} />);
    }
    const checked = checkAssistedForm(values);
    if (!checked.ok) return sendPage(reply, <AssistedPage viewer={viewer} values={values} errors={checked.errors} />, 400);
    const created = await recordAssistedEntries(
      ctx.database,
      checked.drafts.map((d) => d.draft),
      { channel: checked.channel, member: viewer.member, ageRecipients: ctx.config.ageRecipients, source: 'form' },
    );
    const receipts = created.map((c, i) => ({ displayName: checked.drafts[i]!.displayName, receipt: c.receipt }));
    // Shown once: never kept by a browser or a proxy.
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <AssistedReceiptsPage viewer={viewer} receipts={receipts} />, 201);
  });

  scope.get('/entries', { config: { roles: ENTRY } }, async (request, reply) => {
    const viewer = viewerOf(request);
    const rows = await entriesOf(ctx.database.db, viewer.member.id, ENTRIES_SHOWN);
    const people = await declarantsOfMany(ctx.database.db, rows.map((r) => r.id));
    const entries = rows.map((r) => ({
      id: r.id,
      receivedAt: r.received_at,
      names: (people.get(r.id) ?? []).map((d) => d.display_name),
      channel: r.channel,
      status: r.status,
      registrationNumber: r.registration_number,
    }));
    return sendPage(reply, <EntriesPage viewer={viewer} entries={entries} />);
  });
}
