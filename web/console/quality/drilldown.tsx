/** The conversations (or surveys, or tickets) behind one number of the dashboard on one day. */
import { useEffect, useState } from 'preact/hooks';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { errorMessage, LoadError, Loading } from '../kit/index.ts';
import type { Drilldown } from '../quality-state.ts';
import { ResponseTags } from './response-tags.tsx';

export const DRILL_LABEL: Record<Drilldown, ConsoleKey> = {
  resolved: 'qDrillResolved',
  reopened: 'qDrillReopened',
  slow_first_response: 'qDrillSlow',
  response: 'qDrillResponses',
  detractor: 'qDrillDetractors',
  sla_breach: 'qDrillSla',
};

/** A drill-down entry as the facts store keeps it. */
export interface Fact {
  id: string;
  at: string;
  conversationId?: string;
  surveyId?: string;
  ticketId?: string;
  agent?: string;
  channel?: string;
  scores?: Record<string, number>;
  comment?: string;
  sentiment?: string;
  metric?: string;
}

/** `CSAT 2 · NPS 3`. */
export const scoresText = (scores: Readonly<Record<string, number | undefined>> | undefined) =>
  Object.entries(scores ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.toUpperCase()} ${v}`)
    .join(' · ');

/** Links to a fact's conversation and ticket (its id when it has neither). */
export function FactLinks(props: { fact: Fact }) {
  const { t } = useI18n();
  const f = props.fact;
  return (
    <>
      {f.conversationId && <a href={`#/inbox/open/${encodeURIComponent(f.conversationId)}`}>{t('qConversation')}</a>}
      {f.ticketId && (
        <>
          {' '}
          <a href={`#/tickets/mine/${encodeURIComponent(f.ticketId)}`}>{t('qTicket')}</a>
        </>
      )}
      {!f.conversationId && !f.ticketId && <span class="mono">{f.id}</span>}
    </>
  );
}

export function DrillDown(props: { api: StaffApi; day: string; metric: Drilldown; staff: StaffMember[] }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Fact[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const names = new Map(props.staff.map((s) => [s.sub, s.name || s.email]));

  const load = async (after?: string) => {
    try {
      const page = await props.api.call<{ items: Fact[]; cursor?: string }>(
        `/quality/drilldown?day=${props.day}&metric=${props.metric}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
      );
      setError(undefined);
      setItems((prev) => [...(after ? (prev ?? []) : []), ...page.items]);
      setCursor(page.cursor);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => void load(), []);

  return (
    <section class="card drill" aria-labelledby="drill-heading">
      <h2 id="drill-heading">{t('qDrillTitle', { metric: t(DRILL_LABEL[props.metric]), day: props.day })}</h2>
      {error && <LoadError message={error} onRetry={() => void load()} />}
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p class="muted">{t('qDrillEmpty')}</p>}
      {items && items.length > 0 && (
        <table class="kb-table">
          <thead>
            <tr>
              <th scope="col">{t('qWhen')}</th>
              <th scope="col">{t('qWhat')}</th>
              <th scope="col">{t('agent')}</th>
              <th scope="col">{t('qDetails')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={`${f.id}${f.at}`}>
                <td>{new Date(f.at).toLocaleString(locale)}</td>
                <td>
                  <FactLinks fact={f} />
                </td>
                <td>{f.agent ? (names.get(f.agent) ?? f.agent) : '–'}</td>
                <td>
                  {f.scores && scoresText(f.scores)}
                  {f.metric && !f.scores && f.metric}
                  {f.comment && <q class="comment">{f.comment}</q>}
                  {f.surveyId && f.scores && <ResponseTags api={props.api} surveyId={f.surveyId} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" class="btn small" onClick={() => void load(cursor)}>
          {t('qMore')}
        </button>
      )}
    </section>
  );
}
