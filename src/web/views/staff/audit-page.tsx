import { auditMinute } from '../../../domain/audit-chain.js';
import type { AuditLogTable } from '../../../storage/schema.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { StaffLayout } from './staff-layout.js';
import { shortId, submissionHref, utcMinute } from './submission-parts.js';

export interface AuditPageProps {
  viewer: ConsoleViewer;
  entries: AuditLogTable[];
  staffNames: ReadonlyMap<string, string>;
  /** The `before` of the next (older) page, or null on the last page. */
  olderBefore: number | null;
}

/**
 * The audit log, newest first by sequence (never by time: entries of one minute share it), a page
 * at a time. It holds no addresses, so none is shown; times are shown to the minute, also those of
 * entries written before times were kept to the minute.
 */
export function AuditPage({ viewer, entries, staffNames, olderBefore }: AuditPageProps) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <StaffLayout locale={viewer.locale} title={t.auditTitle} viewer={viewer}>
      <h1>{t.auditTitle}</h1>
      <p class="hint">{t.auditIntro}</p>
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t.auditAt}</th>
            <th scope="col">{t.auditActor}</th>
            <th scope="col">{t.auditAction}</th>
            <th scope="col">{t.auditTarget}</th>
            <th scope="col">{t.reasonLabel}</th>
            <th scope="col">{t.auditDetails}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-seq={e.seq}>
              <td>{e.seq}</td>
              <td>
                <time dateTime={auditMinute(e.at)}>{utcMinute(e.at)}</time>
              </td>
              <td>{staffNames.get(e.actor) ?? e.actor}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.target && <AuditTarget action={e.action} target={e.target} staffNames={staffNames} />}</td>
              <td>{e.reason ?? ''}</td>
              <td class="details">{e.details ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {olderBefore !== null && (
        <p class="pager">
          <a href={`/staff/audit?before=${olderBefore}`} rel="next">
            {t.olderEntries}
          </a>
        </p>
      )}
    </StaffLayout>
  );
}

function AuditTarget({ action, target, staffNames }: { action: string; target: string; staffNames: ReadonlyMap<string, string> }) {
  if (action.startsWith('submission.')) return <a href={submissionHref(target)}>{shortId(target)}</a>;
  return <>{staffNames.get(target) ?? target}</>;
}
