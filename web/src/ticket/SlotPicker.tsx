/** Choosing an appointment time: a day that still has room, then one of its free slots (times in the place's zone). */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import type { Lang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';

interface Props {
  bookingKey: string;
  queueId: string;
  appointmentTypeId: string | null;
  groupSize: number;
  t: Translate;
  lang: Lang;
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
    const today = localDate(new Date());
    const end = localDate(new Date(Date.now() + DAYS_AHEAD * 86_400_000));
    void api<{ days: string[]; timeZone: string }>('GET', `/v2/queues/${encodeURIComponent(queueId)}/daysWithAvailabilities`, {
      key: bookingKey,
      query: { start: today, end, ...filters },
    }).then(
      (found) => {
        setDays(found);
        setDay(found.days[0] ?? '');
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
  const dayName = (date: string) =>
    new Date(`${date}T12:00:00Z`).toLocaleDateString(lang, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  const time = (iso: string) => new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', timeZone: days.timeZone });
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

/** YYYY-MM-DD in the browser's zone: close enough to the place's to ask which days have room. */
function localDate(date: Date): string {
  return date.toLocaleDateString('en-CA');
}
