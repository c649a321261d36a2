import type { Locale } from '../../domain/locales.js';
import { OCCUPATIONS } from '../../domain/occupations.js';
import { ORGANIZATION_NAMES, ORGANIZATIONS } from '../../domain/organizations.js';
import { REGIONS } from '../../domain/regions.js';
import type { FieldError } from '../../domain/service-error.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import { describedBy, FieldErrors } from './field-errors.js';
import type { DeclarantFormValues } from './form-values.js';

interface Props {
  locale: Locale;
  index: number;
  values: DeclarantFormValues;
  errors: FieldError[];
}

/** One person's fields in the submit form: `d{index}.displayName` and so on. */
export function DeclarantFieldset({ locale, index, values, errors }: Props) {
  const t = UI_TEXT[locale];
  const name = (field: string) => `d${index}.${field}`;
  const path = (field: string) => `declarants[${index}].${field}`;
  const id = (field: string) => `d${index}-${field}`;
  return (
    <fieldset class="declarant">
      <legend>{t.personLegend.replace('{n}', String(index + 1))}</legend>
      <FieldErrors errors={errors} field={`declarants[${index}]`} locale={locale} />

      <label for={id('displayName')}>{t.displayName}</label>
      <p class="hint">{t.displayNameHint}</p>
      <FieldErrors errors={errors} field={path('displayName')} locale={locale} />
      <input
        id={id('displayName')}
        name={name('displayName')}
        value={values.displayName}
        maxLength={40}
        autocomplete="off"
        {...describedBy(errors, path('displayName'))}
      />

      <fieldset class="choices">
        <legend>{t.nameKindLegend}</legend>
        <FieldErrors errors={errors} field={path('nameKind')} locale={locale} />
        {(['pseudonym', 'real'] as const).map((kind) => (
          <label>
            <input type="radio" name={name('nameKind')} value={kind} checked={values.nameKind === kind} />{' '}
            {kind === 'real' ? t.nameKindReal : t.nameKindPseudonym}
          </label>
        ))}
      </fieldset>

      <fieldset class="choices">
        <legend>{t.organizationsLegend}</legend>
        <FieldErrors errors={errors} field={path('organizations')} locale={locale} />
        {ORGANIZATIONS.map((org) => (
          <label>
            <input type="checkbox" name={name('organizations')} value={org} checked={values.organizations.includes(org)} />{' '}
            {ORGANIZATION_NAMES[org][locale]}
          </label>
        ))}
      </fieldset>

      <label for={id('region')}>{t.region}</label>
      <FieldErrors errors={errors} field={path('region')} locale={locale} />
      <select id={id('region')} name={name('region')} {...describedBy(errors, path('region'))}>
        <option value="">{t.regionChoose}</option>
        {REGIONS.map(([code, names]) => (
          <option value={code} selected={values.region === code}>
            {names[locale]}
          </option>
        ))}
      </select>

      <label for={id('occupation')}>{t.occupation}</label>
      <FieldErrors errors={errors} field={path('occupation')} locale={locale} />
      <select id={id('occupation')} name={name('occupation')} {...describedBy(errors, path('occupation'))}>
        <option value="">{t.occupationNone}</option>
        {OCCUPATIONS.map(([code, names]) => (
          <option value={code} selected={values.occupation === code}>
            {names[locale]}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
