/**
 * Small per-day charts drawn as SVG by hand. No chart library is installed in this repository
 * (and none may be added here), and the dashboard needs only grouped bars and a line over at most
 * a year of days, so a few dozen lines of SVG keep the console lean. Each chart is a labelled
 * `figure` with an `img` SVG (title + description summarising it), a text legend, per-point
 * tooltips, and the same numbers as a data table behind a disclosure for screen readers and
 * keyboard users.
 */

import { useI18n } from './i18n.ts';
import { niceMax } from './quality-state.ts';

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS colour with at least 3:1 contrast against white. */
  color: string;
  values: (number | null)[];
}

const W = 720;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

export function DayChart(props: {
  id: string;
  title: string;
  summary: string;
  days: readonly string[];
  series: readonly ChartSeries[];
  kind: 'bar' | 'line';
  format: (value: number) => string;
}) {
  const { t } = useI18n();
  const { days, series } = props;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const xCenter = (i: number) => PAD.left + slot * i + slot / 2;
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const barW = Math.max(1, (slot * 0.8) / Math.max(1, series.length));

  return (
    <figure class="chart" aria-labelledby={`${props.id}-cap`}>
      <figcaption id={`${props.id}-cap`}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} preserveAspectRatio="xMidYMid meet">
        <title id={`${props.id}-t`}>{props.title}</title>
        <desc id={`${props.id}-d`}>{props.summary}</desc>
        {[0, 0.5, 1]
          .filter((f, i, all) => all.findIndex((g) => props.format(max * g) === props.format(max * f)) === i)
          .map((f) => (
            <g key={f}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} class="grid" />
              <text x={PAD.left - 6} y={y(max * f) + 4} text-anchor="end" class="tick">
                {props.format(max * f)}
              </text>
            </g>
          ))}
        {days.map((d, i) =>
          i % labelEvery === 0 || i === days.length - 1 ? (
            <text key={d} x={xCenter(i)} y={H - 8} text-anchor="middle" class="tick">
              {d.slice(5)}
            </text>
          ) : null,
        )}
        {props.kind === 'bar'
          ? series.map((s, si) =>
              s.values.map((v, i) =>
                v === null || v === 0 ? null : (
                  <rect
                    key={`${s.key}${i}`}
                    x={xCenter(i) - (barW * series.length) / 2 + barW * si}
                    y={y(v)}
                    width={barW}
                    height={Math.max(0.5, PAD.top + plotH - y(v))}
                    fill={s.color}
                  >
                    <title>{`${days[i]} · ${s.label}: ${props.format(v)}`}</title>
                  </rect>
                ),
              ),
            )
          : series.map((s) => {
              const points = s.values.map((v, i) => (v === null ? null : `${xCenter(i)},${y(v)}`));
              const segments: string[][] = [[]];
              for (const p of points) {
                if (p === null) segments.push([]);
                else segments[segments.length - 1]!.push(p);
              }
              return (
                <g key={s.key}>
                  {segments
                    .filter((seg) => seg.length > 1)
                    .map((seg, j) => (
                      <polyline key={j} points={seg.join(' ')} fill="none" stroke={s.color} stroke-width={2} />
                    ))}
                  {s.values.map((v, i) =>
                    v === null ? null : (
                      <circle key={i} cx={xCenter(i)} cy={y(v)} r={3} fill={s.color}>
                        <title>{`${days[i]} · ${s.label}: ${props.format(v)}`}</title>
                      </circle>
                    ),
                  )}
                </g>
              );
            })}
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
      </svg>
      <ul class="legend">
        {series.map((s) => (
          <li key={s.key}>
            <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
      <details class="chart-data">
        <summary>{t('qShowTable')}</summary>
        <table class="kb-table">
          <caption class="sr-only">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('qDay')}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d, i) => (
              <tr key={d}>
                <th scope="row">{d}</th>
                {series.map((s) => (
                  <td key={s.key}>{s.values[i] === null || s.values[i] === undefined ? '–' : props.format(s.values[i]!)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
