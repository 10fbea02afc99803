/**
 * The after-sales (售后) panel of a ticket: the request (order, kind, reason, photos) and the
 * buttons of the actions its current state allows. Every action is sent with the version shown; a
 * 409 loads the current state and says so. Loaded by aftersales.tsx on tickets linked to a request.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { requestForStaff } from '../../../shared/aftersales/api.ts';
import type { StaffActionName } from '../../../shared/aftersales/model.ts';
import { formatTime } from '../../lib/format.ts';
import { ApiError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-aftersales.ts';
import { useI18n } from '../i18n.ts';
import { Async, failureNotice, type Notice, NoticeLine, pickText, TextField, useResource } from '../kit/index.ts';

type RequestView = ReturnType<typeof requestForStaff>;

const money = (n: number) => n.toFixed(2);

/** The request of an after-sales ticket and its actions (its own chunk: loaded on after-sales tickets only). */
export function AfterSalesRequestView(props: { api: StaffApi; requestId: string; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const path = `/aftersales/${encodeURIComponent(props.requestId)}`;
  const resource = useResource(() => props.api.call<{ request: RequestView }>(path).then((r) => r.request), [path]);
  const [notice, setNotice] = useState<Notice>();
  return (
    <section class="card aftersales" aria-labelledby="aftersales-heading">
      <h3 id="aftersales-heading">{t('asHeading')}</h3>
      <NoticeLine notice={notice} />
      <Async resource={resource}>
        {(r) => (
          <>
            <dl class="aftersales-facts">
              <dt>{t('asState')}</dt>
              <dd>
                <span class={`status-pill as-${r.state}`}>{pickText(r.stateText, locale)}</span>
              </dd>
              <dt>{t('asKind')}</dt>
              <dd>{pickText(r.kindText, locale)}</dd>
              <dt>{t('asReason')}</dt>
              <dd>{pickText(r.reasonText, locale)}</dd>
              <dt>{t('asOrder')}</dt>
              <dd class="mono">{r.orderId}</dd>
              <dt>{t('asQuantity')}</dt>
              <dd>{r.quantity}</dd>
              <dt>{t('asPaid')}</dt>
              <dd>¥{money(r.paid)}</dd>
              {r.note && (
                <>
                  <dt>{t('asNote')}</dt>
                  <dd>{r.note}</dd>
                </>
              )}
              {r.returnAddress && (
                <>
                  <dt>{t('asReturnAddress')}</dt>
                  <dd>{r.returnAddress}</dd>
                </>
              )}
              {r.refundAmount !== undefined && (
                <>
                  <dt>{t('asRefundAmount')}</dt>
                  <dd>¥{money(r.refundAmount)}</dd>
                </>
              )}
              {r.rejectReason && (
                <>
                  <dt>{t('asRejectReason')}</dt>
                  <dd>{r.rejectReason}</dd>
                </>
              )}
            </dl>
            <p class="muted small">{formatTime(r.createdAt, locale)}</p>
            <h4>{t('asPhotos', { count: r.photos.length })}</h4>
            {r.photos.length ? (
              <ul class="aftersales-photos">
                {r.photos.map((p) => (
                  <li key={p.attachmentId}>
                    {p.url ? (
                      <a href={p.url} target="_blank" rel="noopener noreferrer">
                        <img src={p.url} alt={t('asPhotoAlt', { name: p.fileName })} />
                      </a>
                    ) : (
                      p.fileName
                    )}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted small">{t('asNoPhotos')}</p>
            )}
            <Actions
              api={props.api}
              path={path}
              request={r}
              onNotice={setNotice}
              onDone={(next) => {
                resource.set(next);
                props.onChanged();
                void resource.reload();
              }}
              onConflict={() => void resource.reload()}
            />
          </>
        )}
      </Async>
    </section>
  );
}

function Actions(props: {
  api: StaffApi;
  path: string;
  request: RequestView;
  onNotice: (n: Notice | undefined) => void;
  onDone: (r: RequestView) => void;
  onConflict: () => void;
}) {
  const { t, locale } = useI18n();
  const r = props.request;
  const [busy, setBusy] = useState(false);
  const [address, setAddress] = useState(r.returnAddress ?? '');
  const [amount, setAmount] = useState(money(r.refundCeiling));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<{ field: string; text: string }>();

  const send = async (action: StaffActionName, extra: Record<string, unknown> = {}) => {
    setBusy(true);
    props.onNotice(undefined);
    try {
      const res = await props.api.call<{ request: RequestView }>(`${props.path}/actions`, { action, version: r.version, ...extra });
      props.onNotice({ kind: 'ok', text: t('asDone', { state: pickText(res.request.stateText, locale) }) });
      props.onDone(res.request);
    } catch (err) {
      props.onNotice(failureNotice(err, t, t('asConflict')));
      if (err instanceof ApiError && err.status === 409) props.onConflict();
    } finally {
      setBusy(false);
    }
  };

  const withText = (field: string, value: string, action: StaffActionName, key: string) => {
    if (!value.trim()) return setProblem({ field, text: t('asRequired') });
    setProblem(undefined);
    void send(action, { [key]: value.trim() });
  };

  const refund = () => {
    const n = Number(amount);
    if (!(n > 0) || n > r.refundCeiling || Math.round(n * 100) / 100 !== n)
      return setProblem({ field: 'amount', text: t('asAmountInvalid', { max: money(r.refundCeiling) }) });
    setProblem(undefined);
    void send('refund', { amount: n });
  };

  const errorOf = (field: string) => (problem?.field === field ? problem.text : undefined);
  const simple = r.actions.filter((a) => a !== 'send_return_address' && a !== 'refund' && a !== 'reject');

  return (
    <div class="aftersales-actions">
      <h4>{t('asActions')}</h4>
      {r.actions.length === 0 && <p class="muted small">{t('asNoActions')}</p>}
      {simple.length > 0 && (
        <p class="inline-form">
          {simple.map((a) => (
            <button key={a} type="button" class={a === 'approve' ? 'btn primary' : 'btn'} disabled={busy} onClick={() => void send(a)}>
              {t(`asAct_${a}`)}
            </button>
          ))}
        </p>
      )}
      {r.actions.includes('send_return_address') && (
        <ActionForm busy={busy} label={t('asAct_send_return_address')} onSubmit={() => withText('address', address, 'send_return_address', 'address')}>
          <TextField id="as-address" label={t('asAddressLabel')} value={address} onInput={setAddress} maxLength={300} hint={errorOf('address')} />
        </ActionForm>
      )}
      {r.actions.includes('refund') && (
        <ActionForm busy={busy} label={t('asAct_refund')} primary onSubmit={refund}>
          <TextField
            id="as-amount"
            label={t('asAmountLabel', { max: money(r.refundCeiling) })}
            value={amount}
            onInput={setAmount}
            type="number"
            min={0}
            max={r.refundCeiling}
            hint={errorOf('amount')}
          />
        </ActionForm>
      )}
      {r.actions.includes('reject') && (
        <ActionForm busy={busy} label={t('asAct_reject')} onSubmit={() => withText('reason', reason, 'reject', 'reason')}>
          <TextField id="as-reject" label={t('asRejectLabel')} value={reason} onInput={setReason} maxLength={300} hint={errorOf('reason')} />
        </ActionForm>
      )}
    </div>
  );
}

function ActionForm(props: { busy: boolean; label: string; primary?: boolean; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      <button type="submit" class={props.primary ? 'btn primary' : 'btn'} disabled={props.busy}>
        {props.label}
      </button>
    </form>
  );
}
