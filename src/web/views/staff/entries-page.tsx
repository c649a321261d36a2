import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { StaffLayout } from './staff-layout.js';
import { channelName, shortId, statusName, submissionHref, utcMinute } from './submission-parts.js';

/** One of the viewer's own entries as the list shows it. */
export interface EntryRow {
  id: string;
  receivedAt: string;
  names: string[];
  channel: string;
  status: string;
  registrationNumber: number | null;
}

/** The viewer's own assisted entries, newest first: never anyone else's. */
export function EntriesPage({ viewer, entries }: { viewer: ConsoleViewer; entries: EntryRow[] }) {
  const t = STAFF_TEXT[viewer.locale];
  const locale = viewer.locale;
  return (
    <StaffLayout locale={locale} title={t.entriesTitle} viewer={viewer}>
      <h1>{t.entriesTitle}</h1>
      {entries.length === 0 ? (
        <p class="empty">{t.entriesEmpty}</p>
      ) : (
        <table class="entries">
          <thead>
            <tr>
              <th scope="col">{t.receivedLabel}</th>
              <th scope="col">{t.nameColumn}</th>
              <th scope="col">{t.channelLabel}</th>
              <th scope="col">{t.statusLabel}</th>
              <th scope="col">{t.registrationNumberLabel}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr data-id={e.id}>
                <td>
                  <a href={submissionHref(e.id)}>{utcMinute(e.receivedAt)}</a> <span class="hint">{shortId(e.id)}</span>
                </td>
                <td>{e.names.join(t.listSeparator)}</td>
                <td>{channelName(e.channel, locale)}</td>
                <td data-status={e.status}>{statusName(e.status, locale)}</td>
                <td class="registration-number">{e.registrationNumber ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href="/staff/assisted">{t.navAssisted}</a>
      </p>
    </StaffLayout>
  );
}
