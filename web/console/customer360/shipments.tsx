/**
 * The customer's parcels in the 360 panel: carrier, tracking number, status and the trace newest
 * first (redacted by the server: no phone numbers or names from the carrier's text). Loaded on its
 * own (`GET /contacts/{contactId}/shipments`), so the rest of the panel never waits for it.
 */
import type { ShipmentView } from '../../../shared/logistics/view.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-logistics.ts';
import { useI18n } from '../i18n.ts';
import { Async, pickText, useResource } from '../kit/index.ts';

/** `2026-12-01 10:05` in the reader's locale. */
function stamp(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
}

export function ShipmentsSection(props: { api: StaffApi; contactId: string }) {
  const { t, locale } = useI18n();
  const shipments = useResource(
    () => props.api.call<{ shipments: ShipmentView[] }>(`/contacts/${encodeURIComponent(props.contactId)}/shipments`),
    [props.api, props.contactId],
  );
  return (
    <div class="c360-shipments" role="group" aria-labelledby="c360-shipments-heading">
      <h4 id="c360-shipments-heading">{t('lgsShipments')}</h4>
      <Async resource={shipments} isEmpty={(d) => d.shipments.length === 0} empty={t('lgsNoShipments')}>
        {(data) => (
          <ul class="shipments">
            {data.shipments.map((s) => (
              <li key={`${s.orderId}#${s.trackingNumber}`} class="shipment" data-tracking={s.trackingNumber} data-status={s.status}>
                <p class="shipment-head">
                  <strong>{s.carrier ?? t('lgsCarrierUnknown')}</strong> <span class="shipment-number">{s.trackingNumber}</span>{' '}
                  <span class={`badge shipment-status ${s.status}`}>{pickText(s.statusText, locale)}</span>
                </p>
                <p class="muted small">{t('lgsOrder', { orderId: s.orderId })}</p>
                <ol class="trace" aria-label={t('lgsTraceOf', { tracking: s.trackingNumber })}>
                  {s.trace.map((line, i) => (
                    <li key={`${line.at}#${i}`} data-status={line.status}>
                      <time dateTime={line.at}>{stamp(line.at, locale)}</time>{' '}
                      {line.location && <span class="trace-where">{locale === 'zh-CN' ? `【${line.location}】` : `[${line.location}]`}</span>}{' '}
                      {line.description ?? pickText(line.statusText, locale)}
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ul>
        )}
      </Async>
    </div>
  );
}
