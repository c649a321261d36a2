import type { Locale } from '../../../domain/locales.js';
import type { ServiceError } from '../../../domain/service-error.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import { staffErrorMessage } from './staff-errors.js';
import { StaffLayout } from './staff-layout.js';

/**
 * An error on a console page. When the visitor is not signed in (or the session expired) it
 * leads to the sign-in page; otherwise back to the dashboard.
 */
export function StaffErrorPage({ locale, error }: { locale: Locale; error: ServiceError }) {
  const t = STAFF_TEXT[locale];
  const signIn = error.code === 'sign_in_required';
  return (
    <StaffLayout locale={locale} title={t.errorTitle}>
      <h1>{t.errorTitle}</h1>
      <p role="alert">{staffErrorMessage(error.errors[0]!, locale)}</p>
      <p>{signIn ? <a href="/staff/sign-in">{t.goToSignIn}</a> : <a href="/staff/">{t.backToDashboard}</a>}</p>
    </StaffLayout>
  );
}
