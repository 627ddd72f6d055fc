/** Choosing an appointment time: a day that still has room, then one of its free slots (times in the place's zone). */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { dayAt, dayInWords, timeAt } from '../shared/time.js';

interface Props {
  bookingKey: string;
  queueId: string;
  appointmentTypeId: string | null;
  groupSize: number;
  t: Translate;
  lang: PageLang;
  idPrefix: string;
  onPick(start: string | null): void;
}

const DAYS_AHEAD = 13;

export function SlotPicker({ bookingKey, queueId, appointmentTypeId, groupSize, t, lang, idPrefix, onPick }: Props) {
  const [days, setDays] = useState<{ days: string[]; timeZone: string } | null>(null);
  const [day, setDay] = useState('');
  const [slots, setSlots] = useState<{ start: string }[] | null>(null);
  const filters = { groupSize, ...(appointmentTypeId ? { appointmentTypeId } : {}) };

  useEffect(() => {
    // The place's zone comes with the answer: from yesterday in UTC covers today wherever the place is.
    const today = dayAt(Date.now() - 86_400_000, 'UTC');
    const end = dayAt(Date.now() + DAYS_AHEAD * 86_400_000, 'UTC');
    void api<{ days: string[]; timeZone: string }>('GET', `/v2/queues/${encodeURIComponent(queueId)}/daysWithAvailabilities`, {
      key: bookingKey,
      query: { start: today, end, ...filters },
    }).then(
      (found) => {
        // Yesterday in UTC may still be a day in the answer, with its slots past: start at the place's today.
        const today = dayAt(Date.now(), found.timeZone);
        const ahead = { ...found, days: found.days.filter((date) => date >= today) };
        setDays(ahead);
        setDay(ahead.days[0] ?? '');
      },
      () => setDays({ days: [], timeZone: 'UTC' }),
    );
  }, [queueId, appointmentTypeId, groupSize]);

  useEffect(() => {
    setSlots(null);
    onPick(null);
    if (!day) return;
    void api<{ slots: { start: string }[] }>('GET', `/v2/queues/${encodeURIComponent(queueId)}/availabilities`, {
      key: bookingKey,
      query: { date: day, ...filters },
    }).then(
      (found) => {
        setSlots(found.slots);
        onPick(found.slots[0]?.start ?? null);
      },
      () => setSlots([]),
    );
  }, [day]);

  if (!days) return <p>{t('slot.loading')}</p>;
  if (days.days.length === 0) return <p class="muted">{t('slot.none')}</p>;
  const dayName = (date: string) => dayInWords(date, lang);
  const time = (iso: string) => timeAt(iso, lang, days.timeZone);
  return (
    <div class="slot-picker">
      <Field id={`${idPrefix}-day`} label={t('slot.day')}>
        <select id={`${idPrefix}-day`} value={day} onChange={(e) => setDay(e.currentTarget.value)}>
          {days.days.map((date) => (
            <option key={date} value={date}>
              {dayName(date)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${idPrefix}-time`} label={t('slot.time')}>
        <select id={`${idPrefix}-time`} disabled={!slots || slots.length === 0} onChange={(e) => onPick(e.currentTarget.value)}>
          {(slots ?? []).map((slot) => (
            <option key={slot.start} value={slot.start}>
              {time(slot.start)}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
