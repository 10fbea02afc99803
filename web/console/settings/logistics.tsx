/**
 * Settings › 店铺 › 催单 (admins): how long a parcel may go without a trace step before the shopper
 * gets a care message and the logistics team a ticket, per carrier where one needs its own, and the
 * dispatch promise (`/logistics/settings`, versioned: a concurrent save reloads the newer version).
 */
import { useEffect, useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import '../i18n-logistics.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { Async, fieldHelpers, type Notice, NoticeLine, pickText, type Resource, SelectField, TextField, useResource } from '../kit/index.ts';
import { NumberFields, type NumberSpec, SaveButton, type SettingsSectionProps, saveAndReload } from './common.tsx';
import { HOURS_KEYS, type HoursKey, type LogisticsForm, type LogisticsView, logisticsBody, logisticsForm, logisticsProblems } from './logistics-state.ts';

const HINT: Record<HoursKey, [ConsoleKey, ConsoleKey]> = {
  stallHours: ['lgsStallHours', 'lgsStallHoursHint'],
  ticketHours: ['lgsTicketHours', 'lgsTicketHoursHint'],
  dispatchHours: ['lgsDispatchHours', 'lgsDispatchHoursHint'],
  dispatchTicketHours: ['lgsDispatchTicketHours', 'lgsDispatchTicketHoursHint'],
};

export function LogisticsSettingsSection(props: Pick<SettingsSectionProps, 'api'>) {
  const settings = useResource(() => props.api.call<LogisticsView>('/logistics/settings'), [props.api]);
  return <Async resource={settings}>{(data) => <LogisticsEditor api={props.api} data={data} settings={settings} />}</Async>;
}

/** Coupon pools an apology coupon may come from (none when the pools cannot be read). */
function usePools(api: SettingsSectionProps['api']) {
  return useResource(
    () =>
      api.call<{ pools: { poolId: string; name: { zh: string; en: string }; available: number }[] }>('/coupons/pools').then(
        (r) => r.pools,
        () => [],
      ),
    [api],
  );
}

function LogisticsEditor(props: Pick<SettingsSectionProps, 'api'> & { data: LogisticsView; settings: Resource<LogisticsView> }) {
  const { t, locale } = useI18n();
  const pools = usePools(props.api);
  const { data } = props;
  const [form, setForm] = useState<LogisticsForm>(() => logisticsForm(data));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setForm(logisticsForm(data)), [data.version]);
  const f = fieldHelpers(errors, 'lgs');
  const spec = Object.fromEntries(
    HOURS_KEYS.map((k) => [k, { label: HINT[k][0], hint: HINT[k][1], min: data.bounds.min, max: data.bounds.max } satisfies NumberSpec]),
  ) as Record<HoursKey, NumberSpec>;
  const setRow = (i: number, key: keyof LogisticsForm['carriers'][number], value: string) =>
    setForm((x) => ({ ...x, carriers: x.carriers.map((c, j) => (j === i ? { ...c, [key]: value } : c)) }));

  const save = (event: Event) => {
    event.preventDefault();
    void saveAndReload(
      { setBusy, setErrors, setNotice },
      t,
      logisticsProblems(form, data.bounds, t),
      () => props.api.put('/logistics/settings', logisticsBody(form, data.version)),
      async (next) => {
        await props.settings.reload();
        setNotice(next);
      },
      { saved: t('lgsSaved'), conflict: t('lgsConflict') },
    );
  };

  return (
    <form class="kb-form logistics-settings" onSubmit={save} noValidate aria-labelledby="lgs-heading">
      <h2 id="lgs-heading">{t('lgsSettingsHeading')}</h2>
      <p class="muted small">{t('lgsSettingsIntro')}</p>
      <div class="field">
        <label class="toggle">
          <input type="checkbox" id="lgs-enabled" checked={form.enabled} onChange={(e) => setForm((x) => ({ ...x, enabled: e.currentTarget.checked }))} />
          {t('lgsEnabled')}
        </label>
      </div>
      <NumberFields prefix="lgs" keys={HOURS_KEYS} spec={spec} form={form} errors={f} onInput={(k, v) => setForm((x) => ({ ...x, [k]: v }))} />
      <fieldset class="lgs-carriers">
        <legend>{t('lgsCarriers')}</legend>
        <p class="muted small">{t('lgsCarriersHint')}</p>
        {form.carriers.length === 0 && <p class="muted small">{t('lgsNoCarriers')}</p>}
        {form.carriers.map((row, i) => (
          <fieldset class="kb-fields lgs-carrier" key={i}>
            <legend class="sr-only">{t('lgsCarrierRow', { n: i + 1 })}</legend>
            <TextField
              id={`lgs-carrier-${i}`}
              label={t('lgsCarrier')}
              value={row.carrier}
              maxLength={40}
              errors={f}
              path={`carriers.${i}.carrier`}
              onInput={(v) => setRow(i, 'carrier', v)}
            />
            <TextField
              id={`lgs-carrier-${i}-stall`}
              label={t('lgsStallHours')}
              type="number"
              value={row.stallHours}
              errors={f}
              path={`carriers.${i}.stallHours`}
              onInput={(v) => setRow(i, 'stallHours', v)}
            />
            <TextField
              id={`lgs-carrier-${i}-ticket`}
              label={t('lgsTicketHours')}
              type="number"
              value={row.ticketHours}
              errors={f}
              path={`carriers.${i}.ticketHours`}
              onInput={(v) => setRow(i, 'ticketHours', v)}
            />
            <div class="kb-actions">
              <button type="button" class="btn small" onClick={() => setForm((x) => ({ ...x, carriers: x.carriers.filter((_, j) => j !== i) }))}>
                {t('lgsRemoveCarrier')}
              </button>
            </div>
          </fieldset>
        ))}
        <button
          type="button"
          class="btn small"
          disabled={form.carriers.length >= 20}
          onClick={() => setForm((x) => ({ ...x, carriers: [...x.carriers, { carrier: '', stallHours: x.stallHours, ticketHours: x.ticketHours }] }))}
        >
          {t('lgsAddCarrier')}
        </button>
      </fieldset>
      <SelectField
        id="lgs-apology"
        label={t('lgsApologyPool')}
        value={form.apologyPoolId}
        blank={t('lgsApologyNone')}
        options={(pools.data ?? []).map((p) => ({ value: p.poolId, label: t('lgsApologyOption', { name: pickText(p.name, locale), available: p.available }) }))}
        errors={f}
        path="apologyPoolId"
        hint={t('lgsApologyHint')}
        onChange={(v) => setForm((x) => ({ ...x, apologyPoolId: v }))}
      />
      <SaveButton busy={busy} label={t('lgsSave')} />
      <NoticeLine notice={notice} />
    </form>
  );
}
