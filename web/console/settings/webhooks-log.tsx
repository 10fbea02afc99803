/** Settings › webhooks › delivery log: state, attempts, last HTTP status or error, time, Retry for finished failures. */
import { useEffect, useState } from 'preact/hooks';
import type { Delivery } from '../../../shared/webhooks/dispatch.ts';
import { formatTime } from '../../lib/format.ts';
import { ApiError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-shop.ts';
import { type ConsoleKey, type Translate, useI18n } from '../i18n.ts';
import { Async, type BilingualText, DataTable, errorMessage, failureNotice, type Notice, NoticeLine, pickText, useResource } from '../kit/index.ts';

/** A delivery as the log route answers it (with its state in both languages). */
export type LoggedDelivery = Delivery & { stateText: BilingualText };

interface Page {
  items: LoggedDelivery[];
  cursor?: string;
}

const PAGE = 25;
/** How often the log looks again while a delivery is about to be tried (a screen refresh, not a test wait). */
const FOLLOW_MS = 2000;

const EVENT_LABEL: Record<string, ConsoleKey> = {
  'webhook.test': 'whEvtTest',
  'member.tier_changed': 'whEvtTier',
  'member.churn_high_risk': 'whEvtChurn',
  'campaign.message': 'whEvtCampaign',
};

const ERROR_LABEL: Record<string, ConsoleKey> = {
  blocked_address: 'whErrBlocked',
  scheme_not_allowed: 'whErrScheme',
  invalid_url: 'whErrInvalid',
  credentials_in_url: 'whErrCredentials',
  unresolvable: 'whErrUnresolvable',
  timeout: 'whErrTimeout',
  network: 'whErrNetwork',
  redirect_not_followed: 'whErrRedirect',
  event_missing: 'whErrEventMissing',
};

/** A delivery error code as an admin reads it (`http_503` → "answered HTTP 503"; unknown codes as they are). */
export function deliveryError(code: string | undefined, t: Translate): string {
  if (!code) return '';
  const http = /^http_(\d{3})$/.exec(code);
  if (http) return t('whErrHttp', { status: http[1]! });
  const key = ERROR_LABEL[code];
  return key ? t(key) : code;
}

const RETRY_REFUSAL: Record<string, ConsoleKey> = {
  changed: 'whRetryChanged',
  event_gone: 'whRetryGone',
  too_many: 'whRetryTooMany',
  not_finished: 'whRetryNotFinished',
};

const STATE_CLASS: Record<string, string> = { delivered: 'ok', failed: 'danger-bg', no_target: 'warn-bg', pending: 'muted', retrying: 'muted' };

export function DeliveryLog(props: { api: StaffApi; tick: number }) {
  const { t, locale } = useI18n();
  const log = useResource(() => props.api.call<Page>(`/webhooks/deliveries?limit=${PAGE}`), [props.api, props.tick]);
  /** Pages loaded after the first (undefined until "Load more"). */
  const [older, setOlder] = useState<Page>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const [busy, setBusy] = useState<string>();

  // Each fresh first page starts the list again; while something is under way, look again shortly.
  useEffect(() => setOlder(undefined), [log.data]);
  const underway =
    log.data?.items.some((d) => d.state === 'pending' || (d.state === 'retrying' && Date.parse(d.nextAttemptAt ?? '') <= Date.now() + FOLLOW_MS)) ?? false;
  useEffect(() => {
    if (!underway) return;
    const timer = setTimeout(() => void log.reload(), FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [log.data, underway]);

  const cursor = older ? older.cursor : log.data?.cursor;
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await props.api.call<Page>(`/webhooks/deliveries?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      setOlder((x) => ({ items: [...(x?.items ?? []), ...page.items], cursor: page.cursor }));
    } catch (err) {
      setNotice({ kind: 'error', text: t('loadFailed', { message: errorMessage(err) }) });
    }
  };

  const retry = async (d: LoggedDelivery) => {
    setBusy(d.deliveryId);
    setNotice(undefined);
    try {
      await props.api.call(`/webhooks/deliveries/${encodeURIComponent(d.deliveryId)}/retry`, {});
      setNotice({ kind: 'ok', text: t('whRetried', { id: d.deliveryId }) });
    } catch (err) {
      const reason = err instanceof ApiError ? (err.details as { reason?: string } | undefined)?.reason : undefined;
      const key = reason ? RETRY_REFUSAL[reason] : undefined;
      setNotice(key ? { kind: 'conflict', text: t(key) } : failureNotice(err, t));
    } finally {
      setBusy(undefined);
      await log.reload();
    }
  };

  return (
    <section class="kb-form delivery-log" aria-labelledby="webhook-log-heading">
      <div class="kb-head">
        <h3 id="webhook-log-heading">{t('whLogHeading')}</h3>
        <button type="button" class="btn small" disabled={log.loading} onClick={() => void log.reload()}>
          {t('whRefresh')}
        </button>
      </div>
      <NoticeLine notice={notice} />
      <Async resource={log} isEmpty={(page) => page.items.length === 0} empty={t('whLogEmpty')}>
        {(page) => (
          <>
            <DataTable<LoggedDelivery>
              rows={[...page.items, ...(older?.items ?? [])]}
              rowKey={(d) => d.deliveryId}
              caption={t('whLogHeading')}
              rowProps={(d) => ({ 'data-delivery': d.deliveryId, 'data-state': d.state })}
              columns={[
                {
                  key: 'time',
                  header: t('whColTime'),
                  rowHeader: true,
                  cell: (d) => <time dateTime={d.updatedAt}>{formatTime(d.updatedAt, locale)}</time>,
                },
                {
                  key: 'event',
                  header: t('whColEvent'),
                  cell: (d) => (
                    <>
                      {EVENT_LABEL[d.type] ? t(EVENT_LABEL[d.type]!) : d.type}
                      <div class="muted small mono">{d.eventId}</div>
                    </>
                  ),
                },
                {
                  key: 'state',
                  header: t('whColState'),
                  cell: (d) => (
                    <>
                      <span class={`badge ${STATE_CLASS[d.state] ?? 'muted'}`}>{pickText(d.stateText, locale) || d.state}</span>
                      {d.state === 'retrying' && d.nextAttemptAt && (
                        <div class="muted small">{t('whNextTry', { time: formatTime(d.nextAttemptAt, locale) })}</div>
                      )}
                    </>
                  ),
                },
                { key: 'attempts', header: t('whColAttempts'), cell: (d) => d.attempts },
                { key: 'status', header: t('whColStatus'), cell: (d) => (d.lastStatus === undefined ? t('emNone') : d.lastStatus) },
                { key: 'error', header: t('whColError'), cell: (d) => (d.state === 'delivered' ? '' : deliveryError(d.lastError, t)) || t('emNone') },
                { key: 'target', header: t('whColTarget'), cell: (d) => <span class="mono">{d.targetHost ?? t('emNone')}</span> },
                {
                  key: 'retry',
                  header: <span class="sr-only">{t('whRetry')}</span>,
                  cell: (d) =>
                    (d.state === 'failed' || d.state === 'no_target') && (
                      <button
                        type="button"
                        class="btn small"
                        disabled={busy !== undefined}
                        aria-label={t('whRetryOf', { id: d.deliveryId })}
                        onClick={() => void retry(d)}
                      >
                        {t('whRetry')}
                      </button>
                    ),
                },
              ]}
            />
            {cursor && (
              <button type="button" class="btn" onClick={() => void loadMore()}>
                {t('whLoadMore')}
              </button>
            )}
          </>
        )}
      </Async>
    </section>
  );
}
