import { ASSISTED_CHANNELS } from '../../../domain/channels.js';
import { LOCALES, type Locale } from '../../../domain/locales.js';
import { OCCUPATIONS } from '../../../domain/occupations.js';
import { ORGANIZATION_NAMES, ORGANIZATIONS } from '../../../domain/organizations.js';
import { REGIONS } from '../../../domain/regions.js';
import type { FieldError } from '../../../domain/service-error.js';
import { LIMITS } from '../../../domain/submission.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { StaffErrorSummary, StaffFieldErrors, staffDescribedBy } from './staff-errors.js';
import { CsrfField, Notice, StaffLayout } from './staff-layout.js';
import { channelName } from './submission-parts.js';

/** What the volunteer typed, kept when the form comes back. */
export interface AssistedFormValues {
  /** One display name per line: one submission each. */
  names: string;
  nameKind: string;
  organizations: string[];
  region: string;
  occupation: string;
  channel: string;
  language: string;
  title: string;
  text: string;
  consent: boolean;
}

export interface AssistedPageProps {
  viewer: ConsoleViewer;
  values: AssistedFormValues;
  errors: FieldError[];
  /** A pseudonym just suggested and added to the names. */
  suggested?: string | null;
}

/** Assisted entry: one person or many (a name per line), everything else applied to all. */
export function AssistedPage({ viewer, values, errors, suggested = null }: AssistedPageProps) {
  const t = STAFF_TEXT[viewer.locale];
  const locale = viewer.locale;
  return (
    <StaffLayout locale={locale} title={t.assistedTitle} viewer={viewer}>
      <h1>{t.assistedTitle}</h1>
      <p>{t.assistedIntro}</p>
      <Notice text={suggested && t.pseudonymAdded.replace('{name}', suggested)} />
      <StaffErrorSummary errors={errors} locale={locale} />
      <form method="post" action="/staff/assisted" class="assisted" novalidate>
        <CsrfField viewer={viewer} />
        {/* Enter in a text field presses the first submit button: let that be "record". */}
        <button type="submit" name="action" value="record" class="default-submit" tabIndex={-1} aria-hidden="true">
          {t.recordButton}
        </button>
        <fieldset>
          <legend>{t.peopleHeading}</legend>
          <label for="names">{t.namesLabel}</label>
          <p class="hint">{t.namesHint}</p>
          <StaffFieldErrors errors={errors} field="names" locale={locale} prefix />
          <textarea id="names" name="names" rows={6} autocomplete="off" spellcheck={false} {...staffDescribedBy(errors, 'names', true)}>
            {values.names}
          </textarea>
          <p class="actions">
            <button type="submit" name="action" value="suggest-pseudonym" class="secondary">
              {t.suggestPseudonym}
            </button>
          </p>
          <SharedChoices locale={locale} values={values} errors={errors} />
        </fieldset>
        <RecordingFields locale={locale} values={values} errors={errors} />
        <p class="actions">
          <button type="submit" name="action" value="record" class="button">
            {t.recordButton}
          </button>
        </p>
      </form>
    </StaffLayout>
  );
}

type FieldsProps = { locale: Locale; values: AssistedFormValues; errors: FieldError[] };

/** Name kind, organisations, region and occupation: the same for every line. */
function SharedChoices({ locale, values, errors }: FieldsProps) {
  const t = STAFF_TEXT[locale];
  const ui = UI_TEXT[locale];
  return (
    <>
      <fieldset class="choices">
        <legend>{t.nameKindLegend}</legend>
        <StaffFieldErrors errors={errors} field="nameKind" locale={locale} />
        {(['pseudonym', 'real'] as const).map((kind) => (
          <label>
            <input type="radio" name="nameKind" value={kind} checked={values.nameKind === kind} /> {kind === 'real' ? t.nameKindReal : t.nameKindPseudonym}
          </label>
        ))}
      </fieldset>
      <fieldset class="choices">
        <legend>{t.organizationsLegend}</legend>
        <StaffFieldErrors errors={errors} field="organizations" locale={locale} />
        {ORGANIZATIONS.map((org) => (
          <label>
            <input type="checkbox" name="organizations" value={org} checked={values.organizations.includes(org)} /> {ORGANIZATION_NAMES[org][locale]}
          </label>
        ))}
      </fieldset>
      <label for="region">{ui.region}</label>
      <StaffFieldErrors errors={errors} field="region" locale={locale} />
      <select id="region" name="region" {...staffDescribedBy(errors, 'region')}>
        <option value="">{ui.regionChoose}</option>
        {REGIONS.map(([code, names]) => (
          <option value={code} selected={values.region === code}>
            {names[locale]}
          </option>
        ))}
      </select>
      <label for="occupation">{ui.occupation}</label>
      <StaffFieldErrors errors={errors} field="occupation" locale={locale} />
      <select id="occupation" name="occupation" {...staffDescribedBy(errors, 'occupation')}>
        <option value="">{ui.occupationNone}</option>
        {OCCUPATIONS.map(([code, names]) => (
          <option value={code} selected={values.occupation === code}>
            {names[locale]}
          </option>
        ))}
      </select>
    </>
  );
}

/** How the withdrawal reached the volunteer, the optional statement, and the consent. */
function RecordingFields({ locale, values, errors }: FieldsProps) {
  const t = STAFF_TEXT[locale];
  return (
    <fieldset>
      <legend>{t.recordingLegend}</legend>
      <fieldset class="choices">
        <legend>{t.channelLegend}</legend>
        <StaffFieldErrors errors={errors} field="channel" locale={locale} />
        {ASSISTED_CHANNELS.map((c) => (
          <label>
            <input type="radio" name="channel" value={c} checked={values.channel === c} /> {channelName(c, locale)}
          </label>
        ))}
      </fieldset>
      <label for="language">{t.languageLabel}</label>
      <StaffFieldErrors errors={errors} field="language" locale={locale} />
      <select id="language" name="language">
        {LOCALES.map((l) => (
          <option value={l} selected={values.language === l}>
            {UI_TEXT[l].languageName}
          </option>
        ))}
      </select>
      <label for="title">{t.titleLabel}</label>
      <StaffFieldErrors errors={errors} field="title" locale={locale} />
      <input id="title" name="title" value={values.title} maxLength={LIMITS.title.max} {...staffDescribedBy(errors, 'title')} />
      <label for="text">{t.textLabel}</label>
      <p class="hint">{t.assistedTextHint}</p>
      <StaffFieldErrors errors={errors} field="text" locale={locale} />
      <textarea id="text" name="text" rows={5} {...staffDescribedBy(errors, 'text')}>
        {values.text}
      </textarea>
      <StaffFieldErrors errors={errors} field="consent" locale={locale} />
      <label class="consent">
        <input type="checkbox" name="consent" value="yes" checked={values.consent} {...staffDescribedBy(errors, 'consent')} /> {t.consentLabel}
      </label>
    </fieldset>
  );
}
