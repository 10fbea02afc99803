/**
 * Marketing › 优惠券 (marketing, admin; supervisors read): coupon pools with their stock and redeemed codes, a new pool
 * (value, minimum order, expiry) with generated codes, and codes added from the shop's CSV export.
 * Each code is given out at most once (the server's conditional write), however many claim at once.
 */
import { useState } from 'preact/hooks';
import type { CodesResult, PoolView } from '../../../shared/coupons/service.ts';
import { type FieldError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi, StaffMe } from '../auth.ts';
import '../i18n-logistics.ts';
import { useI18n } from '../i18n.ts';
import { Async, DataTable, failureNotice, fieldHelpers, type Notice, NoticeLine, pickText, TextField, useResource } from '../kit/index.ts';
import { day, money } from '../labels.ts';
import { EMPTY_POOL_FORM, type PoolForm, poolBody, poolProblems } from './coupons-state.ts';

export function CouponPools(props: { api: StaffApi }) {
  const { t, locale } = useI18n();
  // supervisors read the pools; marketers and admins change them (the manifest's MARKETERS)
  const me = useResource(() => props.api.call<StaffMe>('/staff/me'), [props.api]);
  const canEdit = me.data?.roles.some((r) => r === 'marketing' || r === 'admin') ?? false;
  const pools = useResource(() => props.api.call<{ pools: PoolView[] }>('/coupons/pools').then((r) => r.pools), [props.api]);
  const [importing, setImporting] = useState<string>();
  return (
    <>
      <div class="kb-head">
        <h2 id="coupons-heading">{t('lgsCpnTitle')}</h2>
      </div>
      <p class="muted small">{t('lgsCpnIntro')}</p>
      <Async resource={pools} isEmpty={(items) => items.length === 0} empty={t('lgsCpnNone')}>
        {(items) => (
          <DataTable<PoolView>
            caption={t('lgsCpnTitle')}
            rows={items}
            rowKey={(p) => p.poolId}
            rowProps={(p) => ({ 'data-pool': p.poolId })}
            columns={[
              { key: 'name', header: t('lgsCpnName'), rowHeader: true, cell: (p) => pickText(p.name, locale) },
              {
                key: 'value',
                header: t('lgsCpnValue'),
                cell: (p) =>
                  p.threshold > 0
                    ? t('lgsCpnValueWithThreshold', { threshold: money(p.threshold, 'CNY', locale), value: money(p.value, 'CNY', locale) })
                    : t('lgsCpnValueOnly', { value: money(p.value, 'CNY', locale) }),
              },
              { key: 'expires', header: t('lgsCpnExpires'), cell: (p) => day(p.expiresAt, locale) },
              {
                key: 'stock',
                header: t('lgsCpnStock'),
                class: 'cpn-stock',
                cell: (p) => t('lgsCpnStockText', { available: p.available, total: p.total, claimed: p.claimed }),
              },
              { key: 'redeemed', header: t('lgsCpnRedeemed'), class: 'cpn-redeemed', cell: (p) => p.redeemed },
              ...(canEdit
                ? [
                    {
                      key: 'import',
                      header: t('lgsCpnActions'),
                      cell: (p: PoolView) => (
                        <button
                          type="button"
                          class="btn small"
                          aria-expanded={importing === p.poolId}
                          onClick={() => setImporting(importing === p.poolId ? undefined : p.poolId)}
                        >
                          {t('lgsCpnImport')}
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Async>
      {importing && canEdit && (
        <ImportForm key={importing} api={props.api} pool={pools.data?.find((p) => p.poolId === importing)} onDone={() => void pools.reload()} />
      )}
      {canEdit && <NewPoolForm api={props.api} onCreated={() => void pools.reload()} />}
    </>
  );
}

function resultText(r: CodesResult, t: ReturnType<typeof useI18n>['t']): string {
  return [
    t('lgsCpnAdded', { added: r.added }),
    r.duplicates > 0 ? t('lgsCpnDuplicates', { n: r.duplicates }) : '',
    r.invalidLines.length > 0 ? t('lgsCpnInvalidLines', { lines: r.invalidLines.slice(0, 10).join(', ') }) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function ImportForm(props: { api: StaffApi; pool: PoolView | undefined; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [csv, setCsv] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  if (!props.pool) return null;
  const pool = props.pool;
  const f = fieldHelpers(errors, 'cpn-import');
  const submit = async (e: Event) => {
    e.preventDefault();
    setNotice(undefined);
    if (!csv.trim()) {
      setErrors([{ path: 'csv', message: t('lgsCpnCsvRequired') }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      const r = await props.api.call<{ codes: CodesResult }>(`/coupons/pools/${encodeURIComponent(pool.poolId)}/codes`, { csv });
      setNotice({ kind: 'ok', text: resultText(r.codes, t) });
      setCsv('');
      props.onDone();
    } catch (err) {
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };
  const readFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (file) setCsv(await file.text());
  };
  return (
    <form class="kb-form cpn-import" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="cpn-import-heading">
      <h3 id="cpn-import-heading">{t('lgsCpnImportTo', { name: pickText(pool.name, locale) })}</h3>
      <p class="muted small">{t('lgsCpnCsvHint')}</p>
      <div class="field">
        <label for="cpn-import-file">{t('lgsCpnCsvFile')}</label>
        <input id="cpn-import-file" type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void readFile(e.currentTarget)} />
      </div>
      <TextField id="cpn-import-csv" label={t('lgsCpnCsv')} rows={6} value={csv} errors={f} path="csv" onInput={setCsv} />
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('lgsCpnImportSubmit')}
        </button>
      </div>
      <NoticeLine notice={notice} />
    </form>
  );
}

function NewPoolForm(props: { api: StaffApi; onCreated: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<PoolForm>(EMPTY_POOL_FORM);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'cpn');
  const set = (key: keyof PoolForm) => (value: string) => setForm((x) => ({ ...x, [key]: value }));
  const submit = async (e: Event) => {
    e.preventDefault();
    setNotice(undefined);
    const problems = poolProblems(form, t);
    if (problems.length > 0) {
      setErrors(problems);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      const r = await props.api.call<{ codes?: CodesResult }>('/coupons/pools', poolBody(form));
      setNotice({ kind: 'ok', text: `${t('lgsCpnCreated')}${r.codes ? ` ${resultText(r.codes, t)}` : ''}` });
      setForm(EMPTY_POOL_FORM);
      props.onCreated();
    } catch (err) {
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="kb-form cpn-new" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="cpn-new-heading">
      <h3 id="cpn-new-heading">{t('lgsCpnNew')}</h3>
      <div class="kb-fields">
        <TextField
          id="cpn-name-zh"
          label={t('lgsCpnNameZh')}
          lang="zh-CN"
          value={form.nameZh}
          maxLength={60}
          errors={f}
          path="name.zh"
          onInput={set('nameZh')}
        />
        <TextField id="cpn-name-en" label={t('lgsCpnNameEn')} lang="en" value={form.nameEn} maxLength={60} errors={f} path="name.en" onInput={set('nameEn')} />
        <TextField id="cpn-value" label={t('lgsCpnValueYuan')} type="number" min={0} value={form.value} errors={f} path="value" onInput={set('value')} />
        <TextField
          id="cpn-threshold"
          label={t('lgsCpnThreshold')}
          type="number"
          min={0}
          value={form.threshold}
          errors={f}
          path="threshold"
          hint={t('lgsCpnThresholdHint')}
          onInput={set('threshold')}
        />
        <TextField id="cpn-expires" label={t('lgsCpnExpiresOn')} type="date" value={form.expires} errors={f} path="expiresAt" onInput={set('expires')} />
      </div>
      <fieldset class="kb-fields cpn-generate">
        <legend>{t('lgsCpnGenerate')}</legend>
        <TextField
          id="cpn-count"
          label={t('lgsCpnCount')}
          type="number"
          min={0}
          max={10000}
          value={form.count}
          errors={f}
          path="generate.count"
          hint={t('lgsCpnCountHint')}
          onInput={set('count')}
        />
        <TextField
          id="cpn-length"
          label={t('lgsCpnLength')}
          type="number"
          min={4}
          max={32}
          value={form.length}
          errors={f}
          path="generate.length"
          onInput={set('length')}
        />
        <TextField
          id="cpn-prefix"
          label={t('lgsCpnPrefix')}
          value={form.prefix}
          maxLength={8}
          errors={f}
          path="generate.prefix"
          hint={t('lgsCpnPrefixHint')}
          onInput={set('prefix')}
        />
      </fieldset>
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('lgsCpnCreate')}
        </button>
      </div>
      <NoticeLine notice={notice} />
    </form>
  );
}
