import { useEffect, useState } from 'preact/hooks';
import { badgeOf, type ClockLike, formatCountdown } from '../lib/sla.ts';
import type { SlaMetric } from '../lib/types.ts';
import './i18n-ticket-screens.ts';
import { type ConsoleKey, type Translate, useI18n } from './i18n.ts';

/** One timer for every badge on the page: subscribers re-render once a second while any is shown. */
const tickers = new Set<() => void>();
let interval: ReturnType<typeof setInterval> | undefined;

function subscribeTick(listener: () => void): () => void {
  tickers.add(listener);
  interval ??= setInterval(() => {
    for (const tick of tickers) tick();
  }, 1000);
  return () => {
    tickers.delete(listener);
    if (tickers.size === 0 && interval) {
      clearInterval(interval);
      interval = undefined;
    }
  };
}

/** The current time, updated every second while `active` (shared ticker). */
export function useNow(active = true): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    return subscribeTick(() => setNow(Date.now()));
  }, [active]);
  return now;
}

const METRIC_LABEL: Record<SlaMetric, ConsoleKey> = {
  first_response: 'slaFirstResponse',
  next_response: 'slaNextResponse',
  resolution: 'slaResolution',
};

export const metricLabel = (metric: SlaMetric, t: Translate) => t(METRIC_LABEL[metric]);

/** The words of a badge ("12:34 left", "late 5:00", "paused", "met"), for the badge and its label. */
export function badgeText(clock: ClockLike, now: number, t: Translate, warnAtPercent?: number): { tone: string; text: string } {
  const badge = badgeOf(clock, now, warnAtPercent);
  const units = { d: t('unitDay'), h: t('unitHour') };
  const time = badge.ms !== undefined ? formatCountdown(badge.ms, units) : '';
  switch (badge.tone) {
    case 'ok':
    case 'warn':
      return { tone: badge.tone, text: t('slaLeft', { time }) };
    case 'breached':
      return { tone: badge.tone, text: badge.ms !== undefined ? t('slaLate', { time }) : t('slaBreached') };
    case 'paused':
      return { tone: badge.tone, text: badge.breached ? t('slaPausedBreached') : t('slaPaused') };
    case 'met':
      return { tone: badge.tone, text: t('slaMet') };
    case 'missed':
      return { tone: badge.tone, text: badge.ms ? t('slaMissedBy', { time }) : t('slaMissed') };
  }
}

/**
 * A live SLA badge: counts down every second from the clock's `dueAt`, amber in the warning
 * window, red with how late once breached, grey while paused, green when met. A `timer` role (not
 * announced on every tick) whose accessible name carries the metric and the current value.
 */
export function SlaBadge(props: { clock: ClockLike; warnAtPercent?: number; compact?: boolean }) {
  const { t } = useI18n();
  const now = useNow(props.clock.state === 'running');
  const { tone, text } = badgeText(props.clock, now, t, props.warnAtPercent);
  const metric = metricLabel(props.clock.metric, t);
  return (
    <span
      class={`sla ${tone}`}
      role="timer"
      aria-label={`${metric}: ${text}`}
      data-metric={props.clock.metric}
      data-tone={tone}
      title={props.clock.dueAt ? t('slaDueAt', { time: new Date(props.clock.dueAt).toLocaleString() }) : undefined}
    >
      {!props.compact && <span class="sla-metric">{metric}</span>}
      <span class="sla-value">{text}</span>
    </span>
  );
}
