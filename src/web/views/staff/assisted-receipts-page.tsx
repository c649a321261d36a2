import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { StaffLayout } from './staff-layout.js';

export interface AssistedReceipt {
  displayName: string;
  receipt: string;
}

/**
 * The receipts of what was just recorded, one per person, shown once (never cached) so that
 * the volunteer can pass each on to the person it belongs to.
 */
export function AssistedReceiptsPage({ viewer, receipts }: { viewer: ConsoleViewer; receipts: AssistedReceipt[] }) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <StaffLayout locale={viewer.locale} title={t.receiptsTitle} viewer={viewer}>
      <h1>{t.receiptsTitle}</h1>
      <p>{t.receiptsIntro.replace('{n}', String(receipts.length))}</p>
      <p class="warning">{t.receiptsWarning}</p>
      <table class="receipts">
        <thead>
          <tr>
            <th scope="col">{t.nameColumn}</th>
            <th scope="col">{t.receiptColumn}</th>
          </tr>
        </thead>
        <tbody>
          {receipts.map((r) => (
            <tr>
              <td>{r.displayName}</td>
              <td class="receipt-cell">
                <output>{r.receipt}</output>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/staff/assisted">{t.enterMore}</a> · <a href="/staff/entries">{t.navEntries}</a>
      </p>
    </StaffLayout>
  );
}
