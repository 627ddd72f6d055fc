/**
 * Analytics of one place over a range of its days: the day's figures, three charts (visits per
 * hour, how long people waited, no-shows over the days) and the figures per queue and counter,
 * with a CSV export. Days and hours are the place's, and the page says so.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { listPlaces, type Place } from './api.js';
import type { Figures, PlaceAnalytics } from '../../../src/contract/analytics.js';
import { downloadCsv, lastDays, placeAnalytics, type Range } from './analytics-api.js';
import { Chart } from './Chart.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

interface Props {
  token: string;
  companyId: string;
  t: Translate;
  lang: PageLang;
}

export function AnalyticsTab({ token, companyId, t, lang }: Props) {
  const [places, setPlaces] = useState<Place[] | null>(null);
  const [placeId, setPlaceId] = useState('');
  const [range, setRange] = useState<Range | null>(null);
  const [report, setReport] = useState<PlaceAnalytics | null>(null);
  const { notice, setNotice } = useAction(t);

  const load = async (place: string, asked: Range) => {
    try {
      setReport(await placeAnalytics(token, place, asked));
    } catch (error) {
      setNotice({ kind: 'error', text: describeError(error, t) });
    }
  };

  useEffect(() => {
    void listPlaces(token, companyId).then(
      (found) => {
        setPlaces(found);
        const first = found[0];
        if (!first) return;
        const week = lastDays(first.timeZone, 7);
        setPlaceId(first.id);
        setRange(week);
        void load(first.id, week);
      },
      (error: unknown) => setNotice({ kind: 'error', text: describeError(error, t) }),
    );
  }, [companyId]);

  if (!places) return <p>{t('common.loading')}</p>;
  if (places.length === 0 || !range) return <p>{t('analytics.noPlace')}</p>;
  const number = new Intl.NumberFormat(lang);
  const minutes = (seconds: number | null) =>
    seconds === null ? '–' : t('analytics.minutes', { value: number.format(Math.round(seconds / 6) / 10) });
  const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);
  return (
    <>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <form
        class="card filters"
        aria-label={t('analytics.title')}
        onSubmit={(e) => {
          e.preventDefault();
          void load(placeId, range);
        }}
      >
        <Field id="a-place" label={t('analytics.place')}>
          <select
            id="a-place"
            value={placeId}
            onChange={(e) => {
              const chosen = places.find((place) => place.id === e.currentTarget.value)!;
              setPlaceId(chosen.id);
              setRange(lastDays(chosen.timeZone, 7));
            }}
          >
            {places.map((place) => (
              <option key={place.id} value={place.id}>
                {place.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="a-from" label={t('analytics.from')}>
          <input id="a-from" type="date" required value={range.from} onInput={(e) => setRange({ ...range, from: e.currentTarget.value })} />
        </Field>
        <Field id="a-to" label={t('analytics.to')}>
          <input id="a-to" type="date" required value={range.to} onInput={(e) => setRange({ ...range, to: e.currentTarget.value })} />
        </Field>
        <button type="submit" class="button">
          {t('analytics.show')}
        </button>
        <button
          type="button"
          class="button secondary"
          onClick={() =>
            void downloadCsv(token, placeId, range).catch((error: unknown) => setNotice({ kind: 'error', text: describeError(error, t) }))
          }
        >
          {t('analytics.csv')}
        </button>
      </form>
      {report && (
        <section class="card" aria-labelledby="analytics-title">
          <h2 id="analytics-title">{t('analytics.heading', { from: report.from, to: report.to })}</h2>
          <p class="small">{t('analytics.zone', { zone: report.timeZone })}</p>
          <FiguresList figures={report.totals} t={t} minutes={minutes} number={number} />
          <div class="charts">
            <Chart
              testId="chart-hours"
              kind="bars"
              title={t('analytics.perHour')}
              unit={t('analytics.visits')}
              labels={report.hours.map((hour) => `${String(hour.hour).padStart(2, '0')}h`)}
              values={report.hours.map((hour) => hour.visits)}
            />
            <Chart
              testId="chart-waits"
              kind="bars"
              title={t('analytics.waitDistribution')}
              unit={t('analytics.tickets')}
              labels={report.waits.map((band) =>
                band.toMinutes === null ? `${band.fromMinutes}+` : `${band.fromMinutes}–${band.toMinutes}`,
              )}
              values={report.waits.map((band) => band.tickets)}
            />
            <Chart
              testId="chart-no-shows"
              kind="line"
              title={t('analytics.noShowRate')}
              unit="%"
              labels={report.days.map((day) => day.day.slice(5))}
              values={report.days.map((day) => percent(day.noShows, day.visits))}
            />
          </div>
          <Breakdown
            title={t('analytics.byQueue')}
            rows={report.queues.map((queue) => ({ id: queue.queueId, ...queue }))}
            t={t}
            minutes={minutes}
            testId="by-queue"
          />
          <Breakdown
            title={t('analytics.byCounter')}
            rows={report.counters.map((counter) => ({ id: counter.endpointId, ...counter }))}
            t={t}
            minutes={minutes}
            testId="by-counter"
          />
        </section>
      )}
    </>
  );
}

type Minutes = (seconds: number | null) => string;

function FiguresList({ figures, t, minutes, number }: { figures: Figures; t: Translate; minutes: Minutes; number: Intl.NumberFormat }) {
  const facts: Array<[string, string]> = [
    ['visits', number.format(figures.visits)],
    ['served', number.format(figures.served)],
    ['noShows', number.format(figures.noShows)],
    ['canceled', number.format(figures.canceled)],
    ['waitP50', minutes(figures.waitP50Seconds)],
    ['waitP90', minutes(figures.waitP90Seconds)],
    ['service', minutes(figures.averageServiceSeconds)],
  ];
  return (
    <dl class="facts" data-testid="analytics-totals">
      {facts.map(([key, value]) => (
        <div key={key} data-figure={key}>
          <dt>{t(`analytics.${key}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Breakdown({
  title,
  rows,
  t,
  minutes,
  testId,
}: {
  title: string;
  rows: Array<{ id: string; name: string } & Figures>;
  t: Translate;
  minutes: Minutes;
  testId: string;
}) {
  return (
    <div class="table-scroll">
      <table data-testid={testId}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('analytics.name')}</th>
            <th scope="col">{t('analytics.visits')}</th>
            <th scope="col">{t('analytics.served')}</th>
            <th scope="col">{t('analytics.noShows')}</th>
            <th scope="col">{t('analytics.canceled')}</th>
            <th scope="col">{t('analytics.waitP50')}</th>
            <th scope="col">{t('analytics.service')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.name}</th>
              <td>{row.visits}</td>
              <td>{row.served}</td>
              <td>{row.noShows}</td>
              <td>{row.canceled}</td>
              <td>{minutes(row.waitP50Seconds)}</td>
              <td>{minutes(row.averageServiceSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
