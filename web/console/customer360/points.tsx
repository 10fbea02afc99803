import { useState } from 'preact/hooks';
import type { LedgerEntry } from '../../../shared/members/ledger.ts';
import { formatTime } from '../../lib/format.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { Async, errorMessage, LoadError, useResource } from '../kit/index.ts';
import { day } from '../labels.ts';
import { AdjustForm } from './adjust-form.tsx';

/** A ledger line as `GET /contacts/{contactId}/points` returns it: with the adjusting staff member's name. */
export type LedgerLine = LedgerEntry & { actorName?: string };
interface LedgerPage {
  balance: number;
  items: LedgerLine[];
  cursor?: string;
}

const PAGE = 10;

const KIND: Record<LedgerEntry['kind'], ConsoleKey> = {
  earn: 'c360KindEarn',
  reverse: 'c360KindReverse',
  redeem: 'c360KindRedeem',
  expire: 'c360KindExpire',
  adjust: 'c360KindAdjust',
};

/**
 * The points ledger, newest first, page by page: kind, signed points, balance after, when, and for
 * a staff adjustment who made it and why (the audit). Supervisors and admins get the adjustment
 * form above it.
 */
export function PointsSection(props: { api: StaffApi; contactId: string; canAdjust: boolean; onAdjusted: () => void }) {
  const { t, locale } = useI18n();
  const base = `/contacts/${encodeURIComponent(props.contactId)}/points`;
  const ledger = useResource(() => props.api.call<LedgerPage>(`${base}?limit=${PAGE}`), [props.contactId]);
  const [older, setOlder] = useState<{ items: LedgerLine[]; cursor?: string; error?: string }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const cursor = older ? older.cursor : ledger.data?.cursor;

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await props.api.call<LedgerPage>(`${base}?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      setOlder({ items: [...(older?.items ?? []), ...page.items], ...(page.cursor ? { cursor: page.cursor } : {}) });
    } catch (err) {
      setOlder({ items: older?.items ?? [], cursor, error: errorMessage(err) });
    } finally {
      setLoadingMore(false);
    }
  };

  const adjusted = () => {
    setOlder(undefined);
    void ledger.reload();
    props.onAdjusted();
  };

  return (
    <div class="c360-points" role="group" aria-labelledby="c360-ledger-heading">
      <h4 id="c360-ledger-heading">{t('c360Ledger')}</h4>
      {props.canAdjust && <AdjustForm api={props.api} contactId={props.contactId} onAdjusted={adjusted} />}
      <Async resource={ledger} isEmpty={(page) => page.items.length === 0} empty={t('c360LedgerEmpty')}>
        {(page) => (
          <>
            <ol class="ledger">
              {[...page.items, ...(older?.items ?? [])].map((e) => (
                <li key={e.entryId} class={`ledger-line ${e.kind}`} data-entry={e.entryId}>
                  <span class="ledger-kind">{t(KIND[e.kind] ?? 'c360KindAdjust')}</span>
                  <strong class={e.points < 0 ? 'ledger-points minus' : 'ledger-points'}>
                    {e.points > 0 ? '+' : ''}
                    {e.points.toLocaleString(locale)}
                  </strong>
                  <span class="muted small">{t('c360LedgerBalance', { balance: e.balanceAfter.toLocaleString(locale) })}</span>
                  <time class="muted small" dateTime={e.at}>
                    {formatTime(e.at, locale)}
                  </time>
                  {e.reason && <span class="ledger-reason">{e.reason}</span>}
                  {(e.actorName || e.actor) && <span class="muted small">{t('c360LedgerBy', { name: e.actorName ?? e.actor ?? '' })}</span>}
                  {e.expiresAt && e.points > 0 && <span class="muted small">{t('c360LedgerExpires', { date: day(e.expiresAt, locale) })}</span>}
                </li>
              ))}
            </ol>
            {older?.error && <LoadError message={older.error} onRetry={() => void more()} />}
            {cursor && (
              <button type="button" class="btn small" disabled={loadingMore} onClick={() => void more()}>
                {loadingMore ? t('loading') : t('c360LedgerMore')}
              </button>
            )}
          </>
        )}
      </Async>
    </div>
  );
}
