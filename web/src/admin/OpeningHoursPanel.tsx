/**
 * A queue's opening hours (docs/design.md §Routes, admin): ranges per weekday and dated exceptions
 * (a closed day, special hours), all in the place's time zone, which the panel names.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin } from './api.js';
import { ConfirmButton } from './ConfirmButton.js';
import { NoticeView } from './NoticeView.js';
import { rangesToText, textToRanges, type Range } from './opening-hours-text.js';
import { useAction } from './use-action.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
interface Exception {
  date: string;
  hours: Range[];
  note?: string;
}
interface OpeningHours {
  weekly: Partial<Record<Weekday, Range[]>>;
  exceptions?: Exception[];
}
interface OpeningHoursView {
  queueId: string;
  timeZone: string;
  openingHours: OpeningHours | null;
}
interface ExceptionDraft {
  date: string;
  hours: string;
  note: string;
}

/** Weekday names in the page language: 2024-01-01 was a Monday. */
const weekdayName = (lang: PageLang, index: number) =>
  new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + index));

export function OpeningHoursPanel({ token, queueId, t, lang }: { token: string; queueId: string; t: Translate; lang: PageLang }) {
  const [view, setView] = useState<OpeningHoursView | null>(null);
  const [weekly, setWeekly] = useState<Record<Weekday, string>>(emptyWeek);
  const [exceptions, setExceptions] = useState<ExceptionDraft[]>([]);
  const { busy, notice, setNotice, run } = useAction(t);
  const path = `/admin/queues/${queueId}/openingHours`;

  const show = (found: OpeningHoursView) => {
    setView(found);
    const hours = found.openingHours;
    setWeekly(Object.fromEntries(WEEKDAYS.map((day) => [day, rangesToText(hours?.weekly[day])])) as Record<Weekday, string>);
    setExceptions((hours?.exceptions ?? []).map((e) => ({ date: e.date, hours: rangesToText(e.hours), note: e.note ?? '' })));
  };
  useEffect(
    () =>
      void admin<OpeningHoursView>(token, 'GET', path).then(show, (e: unknown) => setNotice({ kind: 'error', text: describeError(e, t) })),
    [queueId],
  );

  const save = (event: Event) => {
    event.preventDefault();
    const body = openingHoursOf(weekly, exceptions, (day) => weekdayName(lang, WEEKDAYS.indexOf(day)));
    if ('bad' in body) return setNotice({ kind: 'error', text: t('hours.badRange', body) });
    void run('hours', async () => {
      show(await admin<OpeningHoursView>(token, 'PUT', path, { body }));
      return t('hours.saved');
    });
  };

  if (!view) return <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />;
  return (
    <form class="opening-hours" onSubmit={save} aria-labelledby={`hours-${queueId}`} data-testid="opening-hours">
      <h3 id={`hours-${queueId}`}>{t('hours.title')}</h3>
      <p class="muted" data-testid="hours-zone">
        {t('hours.zone', { zone: view.timeZone })}
      </p>
      <p class="muted">{view.openingHours ? t('hours.intro') : t('hours.noneSet')}</p>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <fieldset>
        <legend>{t('hours.weekly')}</legend>
        <div class="settings-grid">
          {WEEKDAYS.map((day, index) => (
            <Field key={day} id={`hours-${queueId}-${day}`} label={weekdayName(lang, index)}>
              <input
                id={`hours-${queueId}-${day}`}
                placeholder={t('hours.closed')}
                aria-describedby={`hours-${queueId}-format`}
                value={weekly[day]}
                onInput={(e) => setWeekly({ ...weekly, [day]: e.currentTarget.value })}
              />
            </Field>
          ))}
        </div>
        <small id={`hours-${queueId}-format`} class="hint">
          {t('hours.format')}
        </small>
      </fieldset>
      <fieldset>
        <legend>{t('hours.exceptions')}</legend>
        {exceptions.length === 0 && <p class="muted">{t('hours.noExceptions')}</p>}
        <ul class="plain-list" data-testid="exceptions">
          {exceptions.map((exception, index) => (
            <li key={index} class="exception">
              <Field id={`exc-${queueId}-${index}-date`} label={t('hours.date')}>
                <input
                  id={`exc-${queueId}-${index}-date`}
                  type="date"
                  required
                  value={exception.date}
                  onInput={(e) => setExceptions(replaceAt(exceptions, index, { ...exception, date: e.currentTarget.value }))}
                />
              </Field>
              <Field id={`exc-${queueId}-${index}-hours`} label={t('hours.exceptionHours')}>
                <input
                  id={`exc-${queueId}-${index}-hours`}
                  placeholder={t('hours.closed')}
                  value={exception.hours}
                  onInput={(e) => setExceptions(replaceAt(exceptions, index, { ...exception, hours: e.currentTarget.value }))}
                />
              </Field>
              <Field id={`exc-${queueId}-${index}-note`} label={t('hours.note')}>
                <input
                  id={`exc-${queueId}-${index}-note`}
                  maxLength={200}
                  value={exception.note}
                  onInput={(e) => setExceptions(replaceAt(exceptions, index, { ...exception, note: e.currentTarget.value }))}
                />
              </Field>
              <button
                type="button"
                class="link-button"
                aria-label={t('hours.removeExceptionOf', { date: exception.date || '…' })}
                onClick={() => setExceptions(exceptions.filter((_, at) => at !== index))}
              >
                {t('hours.removeException')}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" class="button secondary" onClick={() => setExceptions([...exceptions, { date: '', hours: '', note: '' }])}>
          {t('hours.addException')}
        </button>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button" disabled={busy !== null}>
          {t('hours.save')}
        </button>
        {view.openingHours && (
          <ConfirmButton
            label={t('hours.clear')}
            question={t('hours.confirmClear')}
            disabled={busy !== null}
            t={t}
            onConfirm={() =>
              void run('hours', async () => {
                await admin(token, 'DELETE', path);
                show({ ...view, openingHours: null });
                return t('hours.cleared');
              })
            }
          />
        )}
      </div>
    </form>
  );
}

const emptyWeek = () => Object.fromEntries(WEEKDAYS.map((day) => [day, ''])) as Record<Weekday, string>;
const replaceAt = <T,>(list: T[], index: number, item: T) => list.map((old, at) => (at === index ? item : old));

/** The body of the PUT, or the first text that is no range and where it is. */
function openingHoursOf(
  weekly: Record<Weekday, string>,
  exceptions: ExceptionDraft[],
  dayName: (day: Weekday) => string,
): OpeningHours | { bad: string; where: string } {
  const week: OpeningHours['weekly'] = {};
  for (const day of WEEKDAYS) {
    const parsed = textToRanges(weekly[day]);
    if ('bad' in parsed) return { bad: parsed.bad, where: dayName(day) };
    if (parsed.ranges.length > 0) week[day] = parsed.ranges;
  }
  const dated: Exception[] = [];
  for (const exception of exceptions) {
    const parsed = textToRanges(exception.hours);
    if ('bad' in parsed) return { bad: parsed.bad, where: exception.date };
    dated.push({ date: exception.date, hours: parsed.ranges, ...(exception.note.trim() ? { note: exception.note.trim() } : {}) });
  }
  return { weekly: week, exceptions: dated };
}
