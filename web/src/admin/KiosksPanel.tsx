/**
 * A place's kiosks (docs/design.md §Kiosks): add one and get its set-up link once (the key is in
 * its fragment and is never shown again), see the others, revoke one.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { admin } from './api.js';
import { ConfirmButton } from './ConfirmButton.js';

interface Kiosk {
  kioskId: string;
  name: string;
  keyPrefix: string;
  revokedAt: string | null;
}

export function KiosksPanel({ token, placeId, t }: { token: string; placeId: string; t: Translate }) {
  const [kiosks, setKiosks] = useState<Kiosk[]>([]);
  const [name, setName] = useState('');
  const [setupLink, setSetupLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    admin<Kiosk[]>(token, 'GET', `/admin/places/${placeId}/kiosks`).then(setKiosks, (e: unknown) => setError(describeError(e, t)));
  useEffect(() => void load(), [placeId]);

  return (
    <div class="kiosks">
      <h3>{t('kiosk.title')}</h3>
      {error && <p class="status-failed">{error}</p>}
      <ul class="plain-list" data-testid="kiosks">
        {kiosks
          .filter((kiosk) => !kiosk.revokedAt)
          .map((kiosk) => (
            <li key={kiosk.kioskId}>
              <strong>{kiosk.name}</strong> · <code>{kiosk.keyPrefix}…</code>{' '}
              <ConfirmButton
                label={t('kiosk.revoke', { name: kiosk.name })}
                question={t('kiosk.confirmRevoke', { name: kiosk.name })}
                t={t}
                onConfirm={() =>
                  void admin(token, 'DELETE', `/admin/kiosks/${kiosk.kioskId}`).then(load, (e: unknown) => setError(describeError(e, t)))
                }
              />
            </li>
          ))}
      </ul>
      {setupLink && (
        <p class="preview">
          {t('kiosk.setupLink')}
          <input class="secret" readOnly value={setupLink} aria-label={t('kiosk.setupLinkLabel')} data-testid="kiosk-setup-link" />
        </p>
      )}
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const created = await admin<{ key: string }>(token, 'POST', `/admin/places/${placeId}/kiosks`, { body: { name: name.trim() } });
            setSetupLink(`${location.origin}/kiosk#key=${created.key}`);
            setName('');
            setError(null);
            await load();
          } catch (error) {
            setError(describeError(error, t));
          }
        }}
      >
        <label class="field" for={`kiosk-name-${placeId}`}>
          <span class="label">{t('kiosk.name')}</span>
          <input id={`kiosk-name-${placeId}`} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button">
          {t('kiosk.create')}
        </button>
      </form>
    </div>
  );
}
