/**
 * Taking a ticket: optional contact details, the channels to be told on, and — when the person
 * chooses this device — step ① before step ②, so the booking carries the pushId.
 */
import { useState } from 'preact/hooks';
import type { PagesConfig } from '../shared/config.js';
import { describeError } from '../shared/errors.js';
import { API_LOCALE, nameIn, type PageLang, type Translate } from '../shared/i18n.js';
import { Field, Notice } from '../shared/components.js';
import { appointmentTypesOf, bookTicket, ensureUser, type Queue, type TicketView } from './api.js';
import { SlotPicker } from './SlotPicker.js';
import { PushUnavailable, enablePush, pushSupported } from './push.js';

interface Props {
  queue: Queue;
  config: PagesConfig & { bookingKey: string };
  t: Translate;
  lang: PageLang;
  onBooked(ticket: TicketView, pushProblem: string | null): void;
  onBack(): void;
}

export function BookingForm({ queue, config, t, lang, onBooked, onBack }: Props) {
  const pushPossible = config.push !== null && pushSupported();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [mail, setMail] = useState('');
  const [group, setGroup] = useState(Math.max(1, queue.config.groupSizeLimit.min));
  const [viaPush, setViaPush] = useState(pushPossible);
  const [viaSms, setViaSms] = useState(false);
  const [viaMail, setViaMail] = useState(false);
  const [smsFallback, setSmsFallback] = useState(false);
  const [emailFallback, setEmailFallback] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Queues with appointment types also take bookings for a time.
  const types = appointmentTypesOf(queue);
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [typeId, setTypeId] = useState<string | null>(types[0]?.appointmentTypeId ?? null);
  const [slot, setSlot] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if ((viaSms || (smsFallback && viaPush)) && !phone.trim()) return setError(t('book.needPhone'));
    if ((viaMail || (emailFallback && viaPush)) && !mail.trim()) return setError(t('book.needMail'));
    if (when === 'later' && !slot) return setError(t('slot.choose'));
    setBusy(true);
    setError(null);
    try {
      // Step ① first; a refusal (permission denied, no push service) must not cost the person their ticket.
      let pushId: string | undefined;
      let pushProblem: string | null = null;
      if (viaPush) {
        try {
          pushId = (await enablePush(config, API_LOCALE[lang])).pushId;
        } catch (problem) {
          const kind = problem instanceof PushUnavailable ? problem.problem : 'subscribe-failed';
          pushProblem = t(`push.${kind}`, { detail: (problem as Error).message });
        }
      }
      const session = await ensureUser(config.bookingKey);
      const ticket = await bookTicket(session, queue.queueId, {
        userData: {
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(phone.trim() ? { phone: phone.replace(/[\s.-]/g, '') } : {}),
          ...(mail.trim() ? { mail: mail.trim() } : {}),
        },
        sendClientPush: pushId !== undefined,
        ...(pushId ? { pushId } : {}),
        sendClientSms: viaSms,
        sendClientMail: viaMail,
        // Only worth asking with push on: the fallback replaces a push that did not arrive.
        smsFallback: smsFallback && pushId !== undefined && !viaSms,
        emailFallback: emailFallback && pushId !== undefined && !viaMail,
        groupSize: group,
        lang: API_LOCALE[lang],
        source: 'web',
        ...(when === 'later' && slot ? { bookedFor: slot, ...(typeId ? { appointmentTypeId: typeId } : {}) } : {}),
      });
      onBooked(ticket, pushProblem);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  const groupChoice = queue.config.groupSizeLimit.max > queue.config.groupSizeLimit.min;
  return (
    <form class="card" onSubmit={submit} aria-labelledby="book-title" noValidate>
      <h1 id="book-title">{t('book.title', { queue: nameIn(queue.name, lang) })}</h1>
      {error && (
        <Notice kind="error" t={t}>
          {error}
        </Notice>
      )}
      <Field id="name" label={t('book.name')}>
        <input id="name" name="name" autoComplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={100} />
      </Field>
      <Field id="phone" label={t(queue.config.phoneRequired ? 'book.phoneRequired' : 'book.phone')} hint={t('book.phoneHint')}>
        <input
          id="phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          aria-describedby="phone-hint"
          required={queue.config.phoneRequired}
          value={phone}
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
      </Field>
      <Field id="mail" label={t(queue.mailRequired ? 'book.mailRequired' : 'book.mail')}>
        <input
          id="mail"
          name="mail"
          type="email"
          autoComplete="email"
          required={queue.mailRequired}
          value={mail}
          onInput={(e) => setMail(e.currentTarget.value)}
        />
      </Field>
      {groupChoice && (
        <Field id="group" label={t('book.group')}>
          <input
            id="group"
            type="number"
            min={queue.config.groupSizeLimit.min}
            max={queue.config.groupSizeLimit.max}
            value={group}
            onInput={(e) =>
              setGroup(
                Math.min(queue.config.groupSizeLimit.max, Math.max(queue.config.groupSizeLimit.min, Number(e.currentTarget.value) || 1)),
              )
            }
          />
        </Field>
      )}
      {types.length > 0 && (
        <fieldset>
          <legend>{t('book.when')}</legend>
          <label class="check">
            <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} />
            {t('book.now')}
          </label>
          <label class="check">
            <input type="radio" name="when" checked={when === 'later'} onChange={() => setWhen('later')} />
            {t('book.later')}
          </label>
          {when === 'later' && types.length > 1 && (
            <Field id="type" label={t('book.type')}>
              <select id="type" value={typeId ?? ''} onChange={(e) => setTypeId(e.currentTarget.value)}>
                {types.map((type) => (
                  <option key={type.appointmentTypeId} value={type.appointmentTypeId}>
                    {nameIn(type.name, lang)}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {when === 'later' && (
            <SlotPicker
              bookingKey={config.bookingKey}
              queueId={queue.queueId}
              appointmentTypeId={typeId}
              groupSize={group}
              t={t}
              lang={lang}
              idPrefix="book"
              onPick={setSlot}
            />
          )}
        </fieldset>
      )}
      <fieldset>
        <legend>{t('book.notify')}</legend>
        {config.push && (
          <label class="check">
            <input type="checkbox" checked={viaPush} disabled={!pushPossible} onChange={(e) => setViaPush(e.currentTarget.checked)} />
            {t('book.viaPush')}
          </label>
        )}
        {viaPush && <small class="hint">{t('book.pushHint')}</small>}
        {viaPush && !viaSms && (
          <label class="check">
            <input type="checkbox" checked={smsFallback} onChange={(e) => setSmsFallback(e.currentTarget.checked)} />
            {t('book.smsFallback')}
          </label>
        )}
        {viaPush && !viaMail && (
          <label class="check">
            <input type="checkbox" checked={emailFallback} onChange={(e) => setEmailFallback(e.currentTarget.checked)} />
            {t('book.emailFallback')}
          </label>
        )}
        <label class="check">
          <input type="checkbox" checked={viaSms} onChange={(e) => setViaSms(e.currentTarget.checked)} />
          {t('book.viaSms')}
        </label>
        <label class="check">
          <input type="checkbox" checked={viaMail} onChange={(e) => setViaMail(e.currentTarget.checked)} />
          {t('book.viaMail')}
        </label>
      </fieldset>
      <button type="submit" class="button big" disabled={busy} aria-busy={busy}>
        {busy ? t('book.submitting') : t('book.submit')}
      </button>
      <div class="actions">
        <button type="button" class="link-button" onClick={onBack}>
          {t('book.back')}
        </button>
      </div>
    </form>
  );
}
