/**
 * A company's SMS and e-mail limits (docs/security.md §SMS and e-mail): the countries SMS may go
 * to and the send caps. An empty cap lifts it; an empty country list means the countries of the
 * company's places, which the tab shows.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin } from './api.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

const CAPS = [
  'smsPerNumberPerHour',
  'smsPerNumberPerDay',
  'smsPerCompanyPerHour',
  'smsPerCompanyPerDay',
  'mailPerAddressPerHour',
  'mailPerAddressPerDay',
  'mailPerCompanyPerHour',
  'mailPerCompanyPerDay',
] as const;
type Cap = (typeof CAPS)[number];
type Limits = Record<Cap, number | null> & { smsCountries: string[] | null; smsCountriesInForce: string[] };

export function LimitsTab({ token, companyId, t }: { token: string; companyId: string; t: Translate }) {
  const [limits, setLimits] = useState<Limits | null>(null);
  const [countries, setCountries] = useState('');
  const [caps, setCaps] = useState<Record<Cap, string>>({} as Record<Cap, string>);
  const { busy, notice, setNotice, run } = useAction(t);
  const path = `/admin/companies/${companyId}/notificationLimits`;
  const show = (found: Limits) => {
    setLimits(found);
    setCountries((found.smsCountries ?? []).join(', '));
    setCaps(Object.fromEntries(CAPS.map((cap) => [cap, found[cap] === null ? '' : String(found[cap])])) as Record<Cap, string>);
  };
  useEffect(
    () =>
      void admin<Limits>(token, 'GET', path).then(show, (error: unknown) => setNotice({ kind: 'error', text: describeError(error, t) })),
    [companyId],
  );

  const save = (event: Event) => {
    event.preventDefault();
    const list = countries
      .split(/[\s,;]+/)
      .map((code) => code.trim().toUpperCase())
      .filter(Boolean);
    // Numbers as typed: the API says which is out of range.
    const body = {
      smsCountries: list.length > 0 ? list : null,
      ...Object.fromEntries(CAPS.map((cap) => [cap, caps[cap].trim() === '' ? null : Number(caps[cap])])),
    };
    void run('limits', async () => {
      show(await admin<Limits>(token, 'PATCH', path, { body }));
      return t('limits.saved');
    });
  };

  if (!limits) return <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />;
  return (
    <form class="card" onSubmit={save} aria-labelledby="limits-title" data-testid="limits">
      <h2 id="limits-title">{t('limits.title')}</h2>
      <p class="muted">{t('limits.intro')}</p>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <Field id="limits-countries" label={t('limits.countries')} hint={t('limits.countriesHint')}>
        <input
          id="limits-countries"
          aria-describedby="limits-countries-hint"
          placeholder="FR, BE"
          value={countries}
          onInput={(e) => setCountries(e.currentTarget.value)}
        />
      </Field>
      <p data-testid="countries-in-force">
        {t('limits.inForce', { countries: limits.smsCountriesInForce.join(', ') || t('limits.noCountry') })}
      </p>
      <fieldset>
        <legend>{t('limits.caps')}</legend>
        <div class="settings-grid">
          {CAPS.map((cap) => (
            <Field key={cap} id={`limits-${cap}`} label={t(`limits.${cap}`)}>
              <input
                id={`limits-${cap}`}
                type="number"
                placeholder={t('limits.noCap')}
                value={caps[cap]}
                onInput={(e) => setCaps({ ...caps, [cap]: e.currentTarget.value })}
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <p class="muted">{t('limits.verification')}</p>
      <button type="submit" class="button" disabled={busy !== null}>
        {t('limits.save')}
      </button>
    </form>
  );
}
