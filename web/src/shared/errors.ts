/** An API refusal in the page's words when the page has words for its code, else the API's own message. */
import { ApiError } from './api.js';
import type { Translate } from './i18n.js';

export function describeError(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    const known = t(key, { message: error.message });
    if (known !== key) return known;
    return t('error.generic', { message: error.message });
  }
  return t('error.generic', { message: (error as Error)?.message ?? String(error) });
}
