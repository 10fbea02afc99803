/** Detractor follow-ups for team leads: who to call back, with the follow-up ticket. */
import { useState } from 'preact/hooks';
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { Async, errorMessage, LoadError, useResource } from '../kit/index.ts';
import { scoresText } from './drilldown.tsx';

interface FollowUp {
  surveyId: string;
  contactId: string;
  conversationId?: string;
  followUpTicketId?: string;
  status: 'open' | 'closed';
  reasons: string[];
  scores: { csat?: number; nps?: number; ces?: number };
  topics: string[];
  createdAt: string;
  version: number;
}

export function FollowUps(props: { api: StaffApi }) {
  const { t, locale } = useI18n();
  const list = useResource(() => props.api.call<{ items: FollowUp[] }>('/survey-follow-ups?status=open'), [props.api]);
  const [closing, setClosing] = useState<string>();
  const [error, setError] = useState<string>();

  const close = async (f: FollowUp) => {
    setClosing(f.surveyId);
    setError(undefined);
    try {
      await props.api.call(`/survey-follow-ups/${encodeURIComponent(f.surveyId)}/close`, { version: f.version });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      await list.reload();
      setClosing(undefined);
    }
  };

  return (
    <section class="followups" aria-labelledby="followups-heading">
      <h2 id="followups-heading">{t('qFollowUps')}</h2>
      <p class="muted small">{t('qFollowUpsIntro')}</p>
      {error && <LoadError message={error} />}
      <Async resource={list} isEmpty={(d) => d.items.length === 0} empty={t('qFollowUpsNone')}>
        {(data) => (
          <table class="kb-table">
            <thead>
              <tr>
                <th scope="col">{t('qWhen')}</th>
                <th scope="col">{t('qScores')}</th>
                <th scope="col">{t('qReasons')}</th>
                <th scope="col">{t('qWhat')}</th>
                <th scope="col">
                  <span class="sr-only">{t('qActions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((f) => (
                <tr key={f.surveyId} data-survey={f.surveyId}>
                  <td>{new Date(f.createdAt).toLocaleString(locale)}</td>
                  <td>{scoresText(f.scores)}</td>
                  <td>{f.reasons.map((r) => t(r === 'low_csat' ? 'qLowCsat' : r === 'low_nps' ? 'qLowNps' : 'qNegativeComment')).join(', ')}</td>
                  <td>
                    {f.followUpTicketId && (
                      <a href={`#/tickets/mine/${encodeURIComponent(f.followUpTicketId)}`} data-followup-ticket={f.followUpTicketId}>
                        {t('qTicket')}
                      </a>
                    )}{' '}
                    {f.conversationId && <a href={`#/inbox/open/${encodeURIComponent(f.conversationId)}`}>{t('qConversation')}</a>}
                  </td>
                  <td>
                    <button type="button" class="btn small" disabled={closing === f.surveyId} onClick={() => void close(f)}>
                      {t('qClose')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
    </section>
  );
}
