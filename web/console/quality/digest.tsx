/**
 * The daily quality digest (`#/reports/digest[/day]`): what it shows — headlines, the day's figures
 * against the previous seven days, the topics with the most negative comments, the detractors to
 * call back and the SLA breaches — and where it goes (the console only: no delivery setting exists).
 */

import { ApiError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { Async, type Column, DataTable, pickText, useResource } from '../kit/index.ts';
import { DEFAULT_TIME_ZONE, type DigestResponse, formatDuration, formatNumber, formatPercent, utcDay } from '../quality-state.ts';
import { type Fact, FactLinks, scoresText } from './drilldown.tsx';

type Figures = DigestResponse['digest']['figures'];

const SLA_LABEL: Record<string, ConsoleKey> = { first_response: 'slaFirstResponse', next_response: 'slaNextResponse', resolution: 'slaResolution' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const shift = (day: string, days: number) => utcDay(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);

/** The digest, or null when none is stored (for that day, or at all lately). */
async function loadDigest(api: StaffApi, day: string | undefined): Promise<DigestResponse | null> {
  try {
    return await api.call<DigestResponse>(day ? `/quality/digest?day=${day}` : '/quality/digest');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function DigestView(props: { api: StaffApi; day: string | undefined; staff: StaffMember[] }) {
  const { t } = useI18n();
  const day = props.day && DAY.test(props.day) ? props.day : undefined;
  const digest = useResource(() => loadDigest(props.api, day), [day]);
  const zone = digest.data?.timeZone ?? DEFAULT_TIME_ZONE;
  const shown = digest.data?.digest.day ?? day;

  return (
    <section class="digest" aria-labelledby="digest-heading">
      <h2 id="digest-heading">{t('qaTabDigest')}</h2>
      <p class="muted small">{t('qaDigestIntro', { zone })}</p>
      <div class="card digest-where">
        <h3>{t('qaDigestWhere')}</h3>
        <p class="small">{t('qaDigestWhereText')}</p>
      </div>
      <div class="kb-filters" role="group" aria-label={t('qaDigestPick')}>
        <label>
          {t('qaDigestPick')}{' '}
          <input
            type="date"
            value={shown ?? ''}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (DAY.test(value)) location.hash = `#/reports/digest/${value}`;
            }}
          />
        </label>
        {shown && (
          <>
            <a class="btn small" href={`#/reports/digest/${shift(shown, -1)}`}>
              {t('qaDigestPrev')}
            </a>
            <a class="btn small" href={`#/reports/digest/${shift(shown, 1)}`}>
              {t('qaDigestNext')}
            </a>
          </>
        )}
        <a class="btn small" href="#/reports/digest" aria-current={day ? undefined : 'page'}>
          {t('qaDigestLatest')}
        </a>
        <button type="button" class="btn small" onClick={() => void digest.reload()}>
          {t('qRefresh')}
        </button>
      </div>
      <Async resource={digest} isEmpty={(d) => d === null} empty={day ? t('qaDigestNone', { day }) : t('qaDigestNoneYet')}>
        {(d) => d && <DigestBody data={d} staff={props.staff} />}
      </Async>
    </section>
  );
}

function DigestBody(props: { data: DigestResponse; staff: StaffMember[] }) {
  const { t, locale } = useI18n();
  const { digest } = props.data;
  const names = new Map(props.staff.map((s) => [s.sub, s.name || s.email]));
  const detractors = digest.detractors as unknown as Fact[];
  const breaches = digest.slaBreaches as { ticketId?: string; metric?: string; at?: string; assignee?: string }[];
  const createdAt = (digest as { createdAt?: string }).createdAt;
  const rows: { key: string; label: string; day: string; base: string }[] = figureRows(digest.figures, digest.baseline, t, locale);
  const columns: Column<(typeof rows)[number]>[] = [
    { key: 'label', header: t('qaDigestFigure'), rowHeader: true, cell: (r) => r.label },
    { key: 'day', header: t('qaDigestDayValue'), class: 'num', cell: (r) => r.day },
    { key: 'base', header: t('qaDigestBaseline'), class: 'num', cell: (r) => r.base },
  ];

  return (
    <article class="digest-body" aria-labelledby="digest-of" data-day={digest.day}>
      <h3 id="digest-of">{t('qaDigestOf', { day: digest.day })}</h3>
      {createdAt && <p class="muted small">{t('qaDigestWrittenAt', { time: new Date(createdAt).toLocaleString(locale) })}</p>}
      <h4>{t('qaDigestHeadlines')}</h4>
      <ul class="digest-headlines">
        {digest.headlines.map((h, i) => (
          <li key={i}>{pickText(h, locale)}</li>
        ))}
      </ul>
      <h4>{t('qaDigestFigures')}</h4>
      <DataTable class="digest-figures" rows={rows} columns={columns} rowKey={(r) => r.key} caption={t('qaDigestFigures')} />
      {digest.worstTopics.length > 0 && (
        <>
          <h4>{t('qaDigestTopics')}</h4>
          <ul class="topics">
            {digest.worstTopics.map((x) => (
              <li key={x.topic}>
                {t(`topic_${x.topic}` as ConsoleKey)} · {t('qTopicCount', { count: x.count, negative: x.negative })}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>{t('qaDigestDetractors', { count: detractors.length })}</h4>
      {detractors.length === 0 ? (
        <p class="muted small">{t('qaDigestNoDetractors')}</p>
      ) : (
        <ul class="digest-list">
          {detractors.map((f) => (
            <li key={`${f.id}${f.at}`}>
              <FactLinks fact={f} /> · {scoresText(f.scores)}
              {f.agent && <> · {names.get(f.agent) ?? f.agent}</>}
              {f.comment && <q class="comment">{f.comment}</q>}
            </li>
          ))}
        </ul>
      )}
      <h4>{t('qaDigestBreaches', { count: breaches.length })}</h4>
      {breaches.length === 0 ? (
        <p class="muted small">{t('qaDigestNoBreaches')}</p>
      ) : (
        <ul class="digest-list">
          {breaches.map((b, i) => (
            <li key={`${b.ticketId}${b.metric}${i}`}>
              {b.ticketId && <a href={`#/tickets/mine/${encodeURIComponent(b.ticketId)}`}>{t('qTicket')}</a>} ·{' '}
              {b.metric && SLA_LABEL[b.metric] ? t(SLA_LABEL[b.metric]!) : b.metric}
              {b.at && <> · {new Date(b.at).toLocaleString(locale)}</>}
              {b.assignee && <> · {names.get(b.assignee) ?? b.assignee}</>}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The digest's figures next to the previous seven days' (counts are totals over those days). */
function figureRows(day: Figures, base: Figures, t: (key: ConsoleKey) => string, locale: string) {
  const count = (v: number) => formatNumber(v, locale, 0);
  const pct = (v: number | null) => formatPercent(v, locale);
  const dur = (v: number | null) => formatDuration(v, locale);
  return [
    { key: 'created', label: t('qCreated'), day: count(day.conversations.created), base: count(base.conversations.created) },
    { key: 'resolved', label: t('qResolved'), day: count(day.conversations.resolved), base: count(base.conversations.resolved) },
    { key: 'reopen', label: t('qReopenRate'), day: pct(day.conversations.reopenRate), base: pct(base.conversations.reopenRate) },
    { key: 'fcr', label: t('qFcr'), day: pct(day.conversations.fcrRate), base: pct(base.conversations.fcrRate) },
    { key: 'frt', label: t('qFrtMedian'), day: dur(day.firstResponse.medianSeconds), base: dur(base.firstResponse.medianSeconds) },
    { key: 'csat', label: t('qCsat'), day: formatNumber(day.csat.average, locale, 2), base: formatNumber(base.csat.average, locale, 2) },
    { key: 'sla', label: t('qSla'), day: pct(day.slaOverall.attainment), base: pct(base.slaOverall.attainment) },
    { key: 'detractors', label: t('qDrillDetractors'), day: count(day.surveys.detractors), base: count(base.surveys.detractors) },
  ];
}
