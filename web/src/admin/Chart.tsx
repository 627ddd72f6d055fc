/**
 * One uPlot chart: bars or a line over labelled x positions. The numbers drawn are also on the
 * figure as data-values, so a test can check the chart against the API, and under it as a table
 * for screen readers.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  title: string;
  labels: string[];
  values: Array<number | null>;
  unit: string;
  kind: 'bars' | 'line';
  testId: string;
}

export function Chart({ title, labels, values, unit, kind, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const xs = labels.map((_, index) => index);
    const chart = new uPlot(
      {
        width: Math.max(280, Math.min(element.clientWidth || 640, 960)),
        height: 220,
        legend: { show: false },
        scales: {
          x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          {
            values: (_u, ticks) => ticks.map((tick) => labels[tick] ?? ''),
            // Room for the longest label, so day labels never run into each other.
            space: Math.max(30, 9 * Math.max(...labels.map((label) => label.length))),
            incrs: [1, 2, 3, 4, 6, 7, 12, 14, 30],
          },
          { label: unit, size: 50 },
        ],
        series: [
          {},
          kind === 'bars'
            ? { label: title, fill: '#3b6fd4', stroke: '#2a55a8', paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false } }
            : { label: title, stroke: '#b3261e', width: 2, points: { show: true, size: 6 } },
        ],
      },
      [xs, values],
      element,
    );
    return () => chart.destroy();
  }, [labels.join('|'), values.join('|'), kind, unit]);
  return (
    <figure class="chart" data-testid={testId} data-values={JSON.stringify(values)}>
      <figcaption>{title}</figcaption>
      <div ref={host} aria-hidden="true" />
      <details>
        <summary>{title}: numbers</summary>
        <table>
          <tbody>
            {labels.map((label, index) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{values[index] ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
