import { isLocale, type Locale } from '../../../domain/locales.js';
import { ServiceError } from '../../../domain/service-error.js';

/** The page's locale; an unknown one is a 404 like any other unknown address. */
export function localeOf(params: { locale: string }): Locale {
  if (!isLocale(params.locale)) throw new ServiceError({ code: 'not_found' });
  return params.locale;
}
