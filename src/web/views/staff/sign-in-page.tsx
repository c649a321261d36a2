import type { Locale } from '../../../domain/locales.js';
import type { FieldError } from '../../../domain/service-error.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import { StaffErrorSummary } from './staff-errors.js';
import { StaffLayout } from './staff-layout.js';

/**
 * Name, password and TOTP code in one form. After a failure the name is kept; the password and
 * the code never come back.
 */
export function SignInPage({ locale, name, errors }: { locale: Locale; name: string; errors: FieldError[] }) {
  const t = STAFF_TEXT[locale];
  return (
    <StaffLayout locale={locale} title={t.signInTitle}>
      <h1>{t.signInTitle}</h1>
      <StaffErrorSummary errors={errors} locale={locale} />
      <form method="post" action="/staff/sign-in" class="sign-in" novalidate>
        <label for="name">{t.signInName}</label>
        <input id="name" name="name" value={name} autocomplete="username" autocapitalize="none" spellcheck={false} required />
        <label for="password">{t.signInPassword}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <label for="code">{t.signInCode}</label>
        <p class="hint" id="code-hint">
          {t.signInCodeHint}
        </p>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxLength={6} aria-describedby="code-hint" />
        <p class="actions">
          <button type="submit" class="button">
            {t.signInButton}
          </button>
        </p>
      </form>
    </StaffLayout>
  );
}
