import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type FieldError, fieldErrors } from '../lib/http.ts';
import type { StaffApi } from './auth.ts';
import { carryNotice, errorMessage, fieldHelpers, type Notice, NoticeLine, takeNotice } from './kit/index.ts';
import './i18n-ops.ts';
import { MIN_ARM_MEMBERS } from '../../shared/campaigns/uplift.ts';
import { type ConsoleKey, type Translate, useI18n } from './i18n.ts';
import { day, money } from './labels.ts';
import {
  actionsFor,
  type Campaign,
  type CampaignAction,
  type CampaignForm,
  CHURN_LEVELS,
  CHURN_REASONS,
  campaignBody,
  campaignFormOf,
  conditionsOf,
  emptyCampaign,
  emptySegment,
  MARKETING_CHANNELS,
  type MarketingChannel,
  PLACEHOLDERS,
  RANGES,
  type RangeKey,
  SEGMENT_ID,
  type Segment,
  type SegmentForm,
  segmentBody,
  segmentForm,
} from './marketing-state.ts';
import { formatNumber, formatPercent } from './quality-state.ts';
import { toggle } from './settings-state.ts';
import { unclaimed } from './tickets-state.ts';

const TABS = ['churn', 'segments', 'campaigns'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, ConsoleKey> = { churn: 'mChurn', segments: 'mSegments', campaigns: 'mCampaigns' };
const LEVEL_LABEL: Record<string, ConsoleKey> = { high: 'mLevelHigh', medium: 'mLevelMedium', low: 'mLevelLow' };
const RANGE_LABEL: Record<RangeKey, ConsoleKey> = {
  points: 'mPoints',
  orderCount: 'mOrderCount',
  totalSpend: 'mTotalSpend',
  avgSpend: 'mAvgSpend',
  daysSinceLastOrder: 'mDaysSinceOrder',
  daysSinceLastContact: 'mDaysSinceContact',
};
const CHANNEL_LABEL: Record<MarketingChannel, ConsoleKey> = { widget: 'mChWidget', email: 'mChEmail', webhook: 'mChWebhook' };
const STATUS_LABEL: Record<string, ConsoleKey> = {
  draft: 'mStDraft',
  scheduled: 'mStScheduled',
  sending: 'mStSending',
  paused: 'mStPaused',
  completed: 'mStCompleted',
  cancelled: 'mStCancelled',
};
const ACTION_LABEL: Record<CampaignAction, ConsoleKey> = { launch: 'mLaunch', pause: 'mPause', resume: 'mResume', cancel: 'mCancel' };
const reasonKey = (code: string) => `reason_${code}` as ConsoleKey;

interface Tier {
  tierId: string;
  rank: number;
  name: { zh: string; en: string };
}

function tierLabel(tierId: string | undefined, tiers: readonly Tier[], locale: string): string {
  if (!tierId) return '–';
  const tier = tiers.find((x) => x.tierId === tierId);
  return tier ? (locale === 'zh-CN' ? tier.name.zh : tier.name.en) : tierId;
}

function useTiers(api: StaffApi): Tier[] {
  const [tiers, setTiers] = useState<Tier[]>([]);
  useEffect(() => {
    api.call<{ tiers: Tier[] }>('/tiers').then(
      (r) => setTiers([...r.tiers].sort((a, b) => a.rank - b.rank)),
      () => undefined,
    );
  }, [api]);
  return tiers;
}

/** Marketing (marketing, admin): churn early warning, segments with a live count, campaigns with holdout reports. */
export function MarketingPage(props: { api: StaffApi; tab: string | undefined; itemId: string | undefined }) {
  const { t } = useI18n();
  const tab: Tab = (TABS as readonly string[]).includes(props.tab ?? '') ? (props.tab as Tab) : 'churn';
  const tiers = useTiers(props.api);
  return (
    <section class="kb pad marketing" aria-labelledby="marketing-heading">
      <h1 id="marketing-heading">{t('navCampaigns')}</h1>
      <nav aria-label={t('mTabs')}>
        <ul class="views tabs">
          {TABS.map((x) => (
            <li key={x}>
              <a href={`#/campaigns/${x}`} aria-current={x === tab ? 'page' : undefined}>
                {t(TAB_LABEL[x])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'churn' && <ChurnList api={props.api} tiers={tiers} />}
      {tab === 'segments' &&
        (props.itemId ? <SegmentEditor key={props.itemId} api={props.api} tiers={tiers} segmentId={props.itemId} /> : <SegmentList api={props.api} />)}
      {tab === 'campaigns' &&
        (props.itemId === 'new' ? (
          <CampaignEditor api={props.api} campaign={undefined} />
        ) : props.itemId ? (
          <CampaignDetail key={props.itemId} api={props.api} campaignId={props.itemId} />
        ) : (
          <CampaignList api={props.api} />
        ))}
    </section>
  );
}

interface ChurnRow {
  contactId: string;
  name?: string;
  tierId?: string;
  risk: number;
  level: string;
  reasons: { code: string; zh: string; en: string }[];
  lastOrderAt?: string;
  orderCount: number;
  totalSpend: number;
  pointsBalance: number;
}

function ChurnList(props: { api: StaffApi; tiers: Tier[] }) {
  const { t, locale } = useI18n();
  const [level, setLevel] = useState('');
  const [tier, setTier] = useState('');
  const [reason, setReason] = useState('');
  const [rows, setRows] = useState<ChurnRow[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();

  const load = async (after?: string) => {
    setError(undefined);
    const q = new URLSearchParams({ limit: '50' });
    if (level) q.set('level', level);
    if (tier) q.set('tier', tier);
    if (reason) q.set('reason', reason);
    if (after) q.set('cursor', after);
    try {
      const page = await props.api.call<{ items: ChurnRow[]; cursor?: string }>(`/churn/members?${q}`);
      setRows((prev) => [...(after ? (prev ?? []) : []), ...page.items]);
      setCursor(page.cursor);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => {
    setRows(undefined);
    void load();
  }, [level, tier, reason]);

  return (
    <>
      <h2>{t('mChurn')}</h2>
      <p class="muted small">{t('mChurnIntro')}</p>
      <div class="kb-filters" role="group" aria-label={t('qFilters')}>
        <label>
          {t('mLevel')}{' '}
          <select value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
            <option value="">{t('mAllLevels')}</option>
            {CHURN_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(LEVEL_LABEL[l]!)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tier')}{' '}
          <select value={tier} onChange={(e) => setTier(e.currentTarget.value)}>
            <option value="">{t('mAllTiers')}</option>
            {props.tiers.map((x) => (
              <option key={x.tierId} value={x.tierId}>
                {tierLabel(x.tierId, props.tiers, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('mReason')}{' '}
          <select value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            <option value="">{t('mAllReasons')}</option>
            {CHURN_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(reasonKey(r))}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {!rows && !error && <p class="muted">{t('loading')}</p>}
      {rows && rows.length === 0 && <p class="muted">{t('mNoMembers')}</p>}
      {rows && rows.length > 0 && (
        <table class="kb-table churn">
          <thead>
            <tr>
              <th scope="col">{t('mMember')}</th>
              <th scope="col">{t('tier')}</th>
              <th scope="col">{t('mRisk')}</th>
              <th scope="col">{t('mReasons')}</th>
              <th scope="col">{t('lastOrder')}</th>
              <th scope="col">{t('orderCount')}</th>
              <th scope="col">{t('totalSpend')}</th>
              <th scope="col">{t('points')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.contactId} data-contact={r.contactId}>
                <td>{r.name || r.contactId}</td>
                <td>{tierLabel(r.tierId, props.tiers, locale)}</td>
                <td>
                  <span class={`risk ${r.level}`}>{t(LEVEL_LABEL[r.level] ?? 'mLevelLow')}</span> {formatPercent(r.risk, locale)}
                </td>
                <td>
                  <ul class="reasons">
                    {r.reasons.map((x) => (
                      <li key={x.code}>{locale === 'zh-CN' ? x.zh : x.en}</li>
                    ))}
                  </ul>
                </td>
                <td>{day(r.lastOrderAt, locale) || '–'}</td>
                <td>{r.orderCount}</td>
                <td>{money(r.totalSpend, 'CNY', locale)}</td>
                <td>{r.pointsBalance.toLocaleString(locale)}</td>
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
    </>
  );
}

function SegmentList(props: { api: StaffApi }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Segment[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    props.api.call<{ items: Segment[] }>('/segments').then(
      (r) => setItems(r.items),
      (err: unknown) => setError(errorMessage(err)),
    );
  }, []);
  return (
    <>
      <div class="kb-head">
        <h2>{t('mSegments')}</h2>
        <a class="btn primary" href="#/campaigns/segments/new">
          {t('mNewSegment')}
        </a>
      </div>
      <p class="muted small">{t('mSegmentsIntro')}</p>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {items && items.length === 0 && <p class="muted">{t('mNoSegments')}</p>}
      {items && items.length > 0 && (
        <table class="kb-table">
          <thead>
            <tr>
              <th scope="col">{t('setName')}</th>
              <th scope="col">{t('kbVersion')}</th>
              <th scope="col">{t('kbUpdated')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.segmentId}>
                <td>
                  <a href={`#/campaigns/segments/${encodeURIComponent(s.segmentId)}`}>{s.name}</a>
                  <div class="muted small mono">{s.segmentId}</div>
                </td>
                <td>{s.version}</td>
                <td>{day(s.updatedAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface Preview {
  count: number;
  exact: boolean;
  read: number;
  sample: { contactId: string; name?: string; tierId?: string; churnLevel?: string; churnRisk?: number }[];
}

function SegmentEditor(props: { api: StaffApi; tiers: Tier[]; segmentId: string }) {
  const { t, locale } = useI18n();
  const creating = props.segmentId === 'new';
  const [form, setForm] = useState<SegmentForm>(emptySegment);
  const [version, setVersion] = useState<number>();
  const [loaded, setLoaded] = useState(creating);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`segment:${props.segmentId}`));
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview>();
  const [previewError, setPreviewError] = useState<string>();
  const [counting, setCounting] = useState(false);
  const seq = useRef(0);
  const f = fieldHelpers(errors, 'seg');
  const set = <K extends keyof SegmentForm>(key: K, value: SegmentForm[K]) => setForm((x) => ({ ...x, [key]: value }));

  const load = async () => {
    try {
      const segment = await props.api.call<Segment>(`/segments/${encodeURIComponent(props.segmentId)}`);
      setForm(segmentForm(segment));
      setVersion(segment.version);
      setLoaded(true);
    } catch (err) {
      setNotice({ kind: 'error', text: t('loadFailed', { message: errorMessage(err) }) });
    }
  };
  useEffect(() => {
    if (!creating) void load();
  }, []);

  const conditions = JSON.stringify(conditionsOf(form));
  useEffect(() => {
    if (!loaded) return;
    const mine = ++seq.current;
    setCounting(true);
    const timer = setTimeout(() => {
      props.api.call<Preview>('/segments/preview', { conditions: JSON.parse(conditions) as unknown }).then(
        (p) => {
          if (mine !== seq.current) return;
          setPreview(p);
          setPreviewError(undefined);
          setCounting(false);
        },
        (err: unknown) => {
          if (mine !== seq.current) return;
          setPreviewError(errorMessage(err));
          setCounting(false);
        },
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [conditions, loaded]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!SEGMENT_ID.test(form.segmentId)) {
      setErrors([{ path: 'segmentId', message: t('mSegmentIdRule') }]);
      setNotice({ kind: 'error', text: t('setInvalid') });
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      const saved = await props.api.put<Segment>(`/segments/${encodeURIComponent(form.segmentId)}`, segmentBody(form, version ?? 0));
      setVersion(saved.version);
      const ok: Notice = { kind: 'ok', text: t('mSegmentSaved', { version: saved.version }) };
      setNotice(ok);
      if (creating) {
        carryNotice(`segment:${saved.segmentId}`, ok);
        location.replace(`#/campaigns/segments/${encodeURIComponent(saved.segmentId)}`);
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        if (!creating) await load();
        setNotice({ kind: 'conflict', text: creating ? t('mSegmentExists') : t('setConflict') });
      } else {
        setErrors(fieldErrors(err));
        setNotice({ kind: 'error', text: fieldErrors(err).length ? t('setInvalid') : t('ticketSaveFailed', { message: errorMessage(err) }) });
      }
    } finally {
      setBusy(false);
    }
  };

  if (!loaded) return <p class="muted">{t('loading')}</p>;
  const other = unclaimed(errors, ['segmentId', 'name', 'description', 'conditions']);
  const checks = (
    label: ConsoleKey,
    field: 'tiers' | 'churnLevels' | 'churnReasons' | 'consent',
    options: { value: string; label: string }[],
    path: string,
  ) => (
    <fieldset class="field checks">
      <legend class="label">{t(label)}</legend>
      <div class="radio-row">
        {options.map((o) => (
          <label key={o.value}>
            <input
              type="checkbox"
              checked={form[field].includes(o.value)}
              onChange={(e) => set(field, toggle(form[field], o.value, e.currentTarget.checked))}
            />{' '}
            {o.label}
          </label>
        ))}
      </div>
      {f.errorOf(path)}
    </fieldset>
  );

  return (
    <div class="segment-editor">
      <form class="kb-form" onSubmit={save} noValidate aria-labelledby="segment-heading">
        <a class="btn ghost" href="#/campaigns/segments">
          ← {t('setBack')}
        </a>
        <h2 id="segment-heading">{creating ? t('mNewSegment') : t('mEditSegment', { name: form.name })}</h2>
        {version !== undefined && <p class="muted small">{t('setPolicyVersion', { version })}</p>}
        <NoticeLine notice={notice && { ...notice, extra: other }} />
        <div class="kb-fields">
          <div class="field">
            <label for="seg-id">{t('setId')}</label>
            <input
              id="seg-id"
              class="mono"
              value={form.segmentId}
              readOnly={!creating}
              maxLength={63}
              {...f.invalidOf('segmentId')}
              onInput={(e) => set('segmentId', e.currentTarget.value.trim())}
            />
            {f.errorOf('segmentId')}
          </div>
          <div class="field wide">
            <label for="seg-name">{t('setName')}</label>
            <input id="seg-name" value={form.name} maxLength={120} {...f.invalidOf('name')} onInput={(e) => set('name', e.currentTarget.value)} />
            {f.errorOf('name')}
          </div>
          <div class="field wide">
            <label for="seg-desc">{t('mDescription')}</label>
            <input
              id="seg-desc"
              value={form.description}
              maxLength={1000}
              {...f.invalidOf('description')}
              onInput={(e) => set('description', e.currentTarget.value)}
            />
            {f.errorOf('description')}
          </div>
        </div>
        <h3 class="label">{t('mConditions')}</h3>
        <p class="muted small">{t('mConditionsHint')}</p>
        {checks(
          'setTiers',
          'tiers',
          props.tiers.map((x) => ({ value: x.tierId, label: tierLabel(x.tierId, props.tiers, locale) })),
          'conditions.tiers',
        )}
        {checks(
          'mChurnLevels',
          'churnLevels',
          CHURN_LEVELS.map((l) => ({ value: l, label: t(LEVEL_LABEL[l]!) })),
          'conditions.churnLevels',
        )}
        {checks(
          'mReasons',
          'churnReasons',
          CHURN_REASONS.map((r) => ({ value: r, label: t(reasonKey(r)) })),
          'conditions.churnReasons',
        )}
        <table class="grid-table">
          <thead>
            <tr>
              <th scope="col">{t('mCondition')}</th>
              <th scope="col">{t('mMin')}</th>
              <th scope="col">{t('mMax')}</th>
            </tr>
          </thead>
          <tbody>
            {RANGES.map((r) => (
              <tr key={r}>
                <th scope="row">{t(RANGE_LABEL[r])}</th>
                {(['min', 'max'] as const).map((end) => (
                  <td key={end}>
                    <input
                      type="number"
                      min={0}
                      aria-label={`${t(RANGE_LABEL[r])} ${t(end === 'min' ? 'mMin' : 'mMax')}`}
                      value={form.ranges[r][end]}
                      {...f.invalidOf(`conditions.${r}`)}
                      onInput={(e) => set('ranges', { ...form.ranges, [r]: { ...form.ranges[r], [end]: e.currentTarget.value } })}
                    />
                  </td>
                ))}
                {f.errorOf(`conditions.${r}`) && <td>{f.errorOf(`conditions.${r}`)}</td>}
              </tr>
            ))}
            <tr>
              <th scope="row">{t('mRiskPercent')}</th>
              <td>
                <input
                  type="number"
                  min={0}
                  max={100}
                  aria-label={`${t('mRiskPercent')} ${t('mMin')}`}
                  value={form.riskMin}
                  {...f.invalidOf('conditions.churnRisk')}
                  onInput={(e) => set('riskMin', e.currentTarget.value)}
                />
              </td>
              <td>
                <input
                  type="number"
                  min={0}
                  max={100}
                  aria-label={`${t('mRiskPercent')} ${t('mMax')}`}
                  value={form.riskMax}
                  {...f.invalidOf('conditions.churnRisk')}
                  onInput={(e) => set('riskMax', e.currentTarget.value)}
                />
              </td>
              {f.errorOf('conditions.churnRisk') && <td>{f.errorOf('conditions.churnRisk')}</td>}
            </tr>
          </tbody>
        </table>
        <div class="kb-fields">
          <div class="field">
            <label for="seg-any">{t('mLabelsAny')}</label>
            <input id="seg-any" value={form.labelsAny} {...f.invalidOf('conditions.labels')} onInput={(e) => set('labelsAny', e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="seg-all">{t('mLabelsAll')}</label>
            <input id="seg-all" value={form.labelsAll} onInput={(e) => set('labelsAll', e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="seg-none">{t('mLabelsNone')}</label>
            <input id="seg-none" value={form.labelsNone} onInput={(e) => set('labelsNone', e.currentTarget.value)} />
          </div>
        </div>
        {f.errorOf('conditions.labels')}
        {checks(
          'mConsent',
          'consent',
          MARKETING_CHANNELS.map((c) => ({ value: c, label: t(CHANNEL_LABEL[c]) })),
          'conditions.consent',
        )}
        <div class="kb-actions">
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('saving') : t('save')}
          </button>
          {!creating && (
            <a class="btn" href={`#/campaigns/campaigns/new`} onClick={() => rememberSegment(form.segmentId)}>
              {t('mCampaignFromSegment')}
            </a>
          )}
        </div>
      </form>
      <aside class="card preview-count" aria-labelledby="seg-preview-heading">
        <h3 id="seg-preview-heading">{t('mPreview')}</h3>
        <p class="big" role="status" aria-live="polite" aria-busy={counting}>
          {previewError
            ? t('mPreviewFailed', { message: previewError })
            : preview
              ? preview.exact
                ? t('mCountExact', { count: preview.count })
                : t('mCountAtLeast', { count: preview.count })
              : t('mCounting')}
        </p>
        {preview && <p class="muted small">{t('mPreviewRead', { read: preview.read })}</p>}
        {preview && preview.sample.length > 0 && (
          <ul class="sample">
            {preview.sample.map((m) => (
              <li key={m.contactId}>
                {m.name || m.contactId}{' '}
                <span class="muted small">
                  {[tierLabel(m.tierId, props.tiers, locale), m.churnLevel ? t(LEVEL_LABEL[m.churnLevel] ?? 'mLevelLow') : ''].filter(Boolean).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </aside>
    </div>
  );
}

let segmentForNextCampaign: string | undefined;
function rememberSegment(segmentId: string): void {
  segmentForNextCampaign = segmentId;
}

function CampaignList(props: { api: StaffApi }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Campaign[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    props.api.call<{ items: Campaign[] }>('/campaigns?limit=50').then(
      (r) => setItems(r.items),
      (err: unknown) => setError(errorMessage(err)),
    );
  }, []);
  return (
    <>
      <div class="kb-head">
        <h2>{t('mCampaigns')}</h2>
        <a class="btn primary" href="#/campaigns/campaigns/new">
          {t('mNewCampaign')}
        </a>
      </div>
      <p class="muted small">{t('mCampaignsIntro')}</p>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {items && items.length === 0 && <p class="muted">{t('mNoCampaigns')}</p>}
      {items && items.length > 0 && (
        <table class="kb-table">
          <thead>
            <tr>
              <th scope="col">{t('setName')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('mSegment')}</th>
              <th scope="col">{t('mHoldout')}</th>
              <th scope="col">{t('kbUpdated')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.campaignId}>
                <td>
                  <a href={`#/campaigns/campaigns/${encodeURIComponent(c.campaignId)}`}>{c.name}</a>
                </td>
                <td>
                  <span class={`status-pill campaign-${c.status}`}>{t(STATUS_LABEL[c.status] ?? 'mStDraft')}</span>
                </td>
                <td class="mono">{c.segmentId}</td>
                <td>{formatPercent(c.holdoutRatio, locale)}</td>
                <td>{day(c.updatedAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function CampaignEditor(props: { api: StaffApi; campaign: Campaign | undefined; onSaved?: (c: Campaign) => void }) {
  const { t } = useI18n();
  const editing = props.campaign;
  const [form, setForm] = useState<CampaignForm>(() => (editing ? campaignFormOf(editing) : { ...emptyCampaign(), segmentId: segmentForNextCampaign ?? '' }));
  const [segments, setSegments] = useState<Segment[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'cmp');
  const set = <K extends keyof CampaignForm>(key: K, value: CampaignForm[K]) => setForm((x) => ({ ...x, [key]: value }));
  useEffect(() => {
    props.api.call<{ items: Segment[] }>('/segments').then(
      (r) => {
        setSegments(r.items);
        setForm((x) => (x.segmentId || !r.items[0] ? x : { ...x, segmentId: r.items[0].segmentId }));
      },
      () => undefined,
    );
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      const saved = editing
        ? await props.api.put<Campaign>(`/campaigns/${encodeURIComponent(editing.campaignId)}`, campaignBody(form, editing.version))
        : await props.api.call<Campaign>('/campaigns', campaignBody(form));
      segmentForNextCampaign = undefined;
      if (props.onSaved) props.onSaved(saved);
      else location.hash = `#/campaigns/campaigns/${encodeURIComponent(saved.campaignId)}`;
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      setNotice(
        err instanceof ApiError && err.status === 409
          ? { kind: 'conflict', text: t('setConflict') }
          : { kind: 'error', text: fields.length ? t('setInvalid') : t('ticketSaveFailed', { message: errorMessage(err) }) },
      );
    } finally {
      setBusy(false);
    }
  };

  const other = unclaimed(errors, [
    'name',
    'segmentId',
    'channels',
    'variants',
    'offer',
    'schedule',
    'holdoutRatio',
    'frequencyCap',
    'quietHours',
    'attributionDays',
  ]);
  const setText = (channel: MarketingChannel, lang: 'zh' | 'en', part: 'a' | 'b', value: string) =>
    setForm((x) => ({ ...x, content: { ...x.content, [channel]: { ...x.content[channel], [lang]: { ...x.content[channel][lang], [part]: value } } } }));

  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="campaign-heading">
      {!editing && (
        <a class="btn ghost" href="#/campaigns/campaigns">
          ← {t('setBack')}
        </a>
      )}
      <h2 id="campaign-heading">{editing ? t('mEditDraft') : t('mNewCampaign')}</h2>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <div class="field wide">
          <label for="cmp-name">{t('setName')}</label>
          <input id="cmp-name" value={form.name} maxLength={120} {...f.invalidOf('name')} onInput={(e) => set('name', e.currentTarget.value)} />
          {f.errorOf('name')}
        </div>
        <div class="field">
          <label for="cmp-segment">{t('mAudience')}</label>
          <select id="cmp-segment" value={form.segmentId} {...f.invalidOf('segmentId')} onChange={(e) => set('segmentId', e.currentTarget.value)}>
            {!form.segmentId && <option value="">{t('mPickSegment')}</option>}
            {segments.map((s) => (
              <option key={s.segmentId} value={s.segmentId}>
                {s.name}
              </option>
            ))}
          </select>
          {f.errorOf('segmentId')}
        </div>
        <div class="field">
          <label for="cmp-holdout">{t('mHoldoutPercent')}</label>
          <input
            id="cmp-holdout"
            type="number"
            min={0}
            max={99}
            step={0.1}
            value={form.holdoutPercent}
            aria-describedby="cmp-holdout-hint"
            {...f.invalidOf('holdoutRatio')}
            onInput={(e) => set('holdoutPercent', e.currentTarget.value)}
          />
          <span id="cmp-holdout-hint" class="muted small">
            {t('mHoldoutHint')}
          </span>
          {f.errorOf('holdoutRatio')}
        </div>
      </div>
      <fieldset class="field">
        <legend class="label">{t('mChannels')}</legend>
        <div class="radio-row">
          {MARKETING_CHANNELS.map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                checked={form.channels.includes(c)}
                onChange={(e) => set('channels', toggle(form.channels, c, e.currentTarget.checked) as MarketingChannel[])}
              />{' '}
              {t(CHANNEL_LABEL[c])}
            </label>
          ))}
        </div>
        {f.errorOf('channels')}
      </fieldset>
      <p class="muted small">{t('mPlaceholders', { list: PLACEHOLDERS.join(' ') })}</p>
      {form.channels.map((channel) => (
        <fieldset key={channel} class="field message-box">
          <legend class="label">{t('mMessageOn', { channel: t(CHANNEL_LABEL[channel]) })}</legend>
          <div class="kb-body">
            {(['zh', 'en'] as const).map((lang) => {
              const path = `variants.0.content.${channel}.${lang}`;
              const a = channel === 'email' ? 'subject' : 'title';
              return (
                <div key={lang} class="field" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
                  <label for={`cmp-${channel}-${lang}-a`}>
                    {t(channel === 'email' ? 'mSubject' : 'mTitle')} ({t(lang === 'zh' ? 'kbLangZh' : 'kbLangEn')})
                  </label>
                  <input
                    id={`cmp-${channel}-${lang}-a`}
                    value={form.content[channel][lang].a}
                    maxLength={200}
                    {...f.invalidOf(`${path}.${a}`)}
                    onInput={(e) => setText(channel, lang, 'a', e.currentTarget.value)}
                  />
                  {f.errorOf(`${path}.${a}`)}
                  <label for={`cmp-${channel}-${lang}-b`}>
                    {t('mBody')} ({t(lang === 'zh' ? 'kbLangZh' : 'kbLangEn')})
                  </label>
                  <textarea
                    id={`cmp-${channel}-${lang}-b`}
                    rows={4}
                    value={form.content[channel][lang].b}
                    {...f.invalidOf(`${path}.body`)}
                    onInput={(e) => setText(channel, lang, 'b', e.currentTarget.value)}
                  />
                  {f.errorOf(`${path}.body`)}
                </div>
              );
            })}
          </div>
          {f.errorOf(`variants.0.content.${channel}`)}
        </fieldset>
      ))}
      {f.errorOf('variants')}
      <div class="kb-fields">
        <fieldset class="field">
          <legend class="label">{t('mOffer')}</legend>
          <div class="radio-row">
            <label>
              <input type="radio" name="cmp-offer" checked={form.offer === 'none'} onChange={() => set('offer', 'none')} /> {t('mOfferNone')}
            </label>
            <label>
              <input type="radio" name="cmp-offer" checked={form.offer === 'points'} onChange={() => set('offer', 'points')} /> {t('mOfferPoints')}
            </label>
          </div>
          {form.offer === 'points' && (
            <>
              <label for="cmp-points">{t('mBonusPoints')}</label>
              <input
                id="cmp-points"
                type="number"
                min={1}
                value={form.points}
                {...f.invalidOf('offer')}
                onInput={(e) => set('points', e.currentTarget.value)}
              />
            </>
          )}
          {f.errorOf('offer')}
        </fieldset>
        <div class="field">
          <label for="cmp-schedule">{t('mSchedule')}</label>
          <input
            id="cmp-schedule"
            type="datetime-local"
            value={form.scheduleAt}
            aria-describedby="cmp-schedule-hint"
            {...f.invalidOf('schedule')}
            onInput={(e) => set('scheduleAt', e.currentTarget.value)}
          />
          <span id="cmp-schedule-hint" class="muted small">
            {t('mScheduleHint')}
          </span>
          {f.errorOf('schedule')}
        </div>
        <div class="field">
          <label for="cmp-attribution">{t('mAttribution')}</label>
          <input
            id="cmp-attribution"
            type="number"
            min={1}
            max={90}
            value={form.attributionDays}
            {...f.invalidOf('attributionDays')}
            onInput={(e) => set('attributionDays', e.currentTarget.value)}
          />
          {f.errorOf('attributionDays')}
        </div>
      </div>
      <div class="kb-fields">
        <fieldset class="field">
          <legend class="label">{t('mCap')}</legend>
          <div class="radio-row">
            <label>
              <input type="radio" name="cmp-cap" checked={form.capMode === 'default'} onChange={() => set('capMode', 'default')} /> {t('mCapDefault')}
            </label>
            <label>
              <input type="radio" name="cmp-cap" checked={form.capMode === 'custom'} onChange={() => set('capMode', 'custom')} /> {t('mCustom')}
            </label>
          </div>
          {form.capMode === 'custom' && (
            <div class="inline-form">
              <label for="cmp-cap-max">{t('mCapMax')}</label>
              <input
                id="cmp-cap-max"
                type="number"
                min={1}
                max={20}
                value={form.capMax}
                {...f.invalidOf('frequencyCap.max')}
                onInput={(e) => set('capMax', e.currentTarget.value)}
              />
              <label for="cmp-cap-window">{t('mCapWindow')}</label>
              <input
                id="cmp-cap-window"
                type="number"
                min={1}
                max={720}
                value={form.capWindowHours}
                {...f.invalidOf('frequencyCap.windowHours')}
                onInput={(e) => set('capWindowHours', e.currentTarget.value)}
              />
            </div>
          )}
          {f.errorOf('frequencyCap')}
        </fieldset>
        <fieldset class="field">
          <legend class="label">{t('mQuiet')}</legend>
          <div class="radio-row">
            <label>
              <input type="radio" name="cmp-quiet" checked={form.quiet === 'default'} onChange={() => set('quiet', 'default')} /> {t('mQuietDefault')}
            </label>
            <label>
              <input type="radio" name="cmp-quiet" checked={form.quiet === 'off'} onChange={() => set('quiet', 'off')} /> {t('mQuietOff')}
            </label>
            <label>
              <input type="radio" name="cmp-quiet" checked={form.quiet === 'custom'} onChange={() => set('quiet', 'custom')} /> {t('mCustom')}
            </label>
          </div>
          {form.quiet === 'custom' && (
            <div class="inline-form">
              <label for="cmp-quiet-start">{t('setFrom')}</label>
              <input
                id="cmp-quiet-start"
                class="time"
                value={form.quietStart}
                {...f.invalidOf('quietHours.start')}
                onInput={(e) => set('quietStart', e.currentTarget.value)}
              />
              <label for="cmp-quiet-end">{t('setTo')}</label>
              <input
                id="cmp-quiet-end"
                class="time"
                value={form.quietEnd}
                {...f.invalidOf('quietHours.end')}
                onInput={(e) => set('quietEnd', e.currentTarget.value)}
              />
              <label for="cmp-quiet-zone">{t('setTimeZone')}</label>
              <input
                id="cmp-quiet-zone"
                value={form.quietZone}
                {...f.invalidOf('quietHours.timeZone')}
                onInput={(e) => set('quietZone', e.currentTarget.value)}
              />
            </div>
          )}
          {f.errorOf('quietHours')}
        </fieldset>
      </div>
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('mSaveDraft')}
        </button>
      </div>
    </form>
  );
}

interface Arm {
  members: number;
  converters: number;
  recallRate: number | null;
  orders: number;
  revenue: number;
  revenuePerMember: number | null;
}

interface Comparison {
  treated: Arm;
  holdout: Arm;
  uplift: { estimate: number; ci95: [number, number]; significant: boolean; tooSmall: boolean } | null;
  revenuePerMemberUplift: { estimate: number; ci95: [number, number]; significant: boolean; tooSmall: boolean } | null;
  incremental: { conversions: number; revenue: number } | null;
}

interface Report {
  status: string;
  holdoutRatio?: number;
  progress: Progress;
  window: { from: string; to: string; attributionDays: number; complete: boolean } | null;
  overall: Comparison | null;
  variants: Record<string, Comparison>;
  method: { zh: string; en: string };
}

interface Progress {
  queued: number;
  deferred: number;
  sent: number;
  holdout: number;
  failed: number;
  suppressed: Record<string, number>;
  suppressedTotal: number;
  processed: number;
}

const SUPPRESS_LABEL: Record<string, ConsoleKey> = {
  no_contact: 'mSupNoContact',
  no_consent: 'mSupNoConsent',
  no_address: 'mSupNoAddress',
  open_conversation: 'mSupOpenConversation',
  open_ticket: 'mSupOpenTicket',
  frequency_cap: 'mSupCap',
};

/** A campaign: status controls (409 reloads), progress, and the report with uplift and its 95 % interval. */
function CampaignDetail(props: { api: StaffApi; campaignId: string }) {
  const { t, locale } = useI18n();
  const [campaign, setCampaign] = useState<Campaign & { progress?: Progress }>();
  const [report, setReport] = useState<Report>();
  const [notice, setNotice] = useState<Notice>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<CampaignAction>();
  const [editing, setEditing] = useState(false);
  const base = `/campaigns/${encodeURIComponent(props.campaignId)}`;

  const load = async () => {
    try {
      const [c, r] = await Promise.all([props.api.call<Campaign & { progress: Progress }>(base), props.api.call<Report>(`${base}/report`)]);
      setCampaign(c);
      setReport(r);
      setError(undefined);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => void load(), []);
  const live = campaign?.status === 'sending' || campaign?.status === 'scheduled';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void load(), 4000);
    return () => clearInterval(timer);
  }, [live]);

  const act = async (action: CampaignAction) => {
    if (!campaign) return;
    setBusy(action);
    setNotice(undefined);
    try {
      await props.api.call(`${base}/status`, { action, version: campaign.version });
      await load();
      setNotice({ kind: 'ok', text: t('mActionDone', { action: t(ACTION_LABEL[action]) }) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await load();
        setNotice({ kind: 'conflict', text: t('mActionConflict') });
      } else setNotice({ kind: 'error', text: t('ticketSaveFailed', { message: errorMessage(err) }) });
    } finally {
      setBusy(undefined);
    }
  };

  if (error && !campaign)
    return (
      <p class="error" role="alert">
        {t('loadFailed', { message: error })}
      </p>
    );
  if (!campaign) return <p class="muted">{t('loading')}</p>;
  if (editing)
    return (
      <CampaignEditor
        api={props.api}
        campaign={campaign}
        onSaved={() => {
          setEditing(false);
          void load();
        }}
      />
    );
  const progress = report?.progress ?? campaign.progress;
  const overall = report?.overall;
  const pp = (v: number) => `${v >= 0 ? '+' : ''}${formatNumber(v * 100, locale, 2)} ${t('mPp')}`;

  return (
    <div class="campaign-detail">
      <a class="btn ghost" href="#/campaigns/campaigns">
        ← {t('setBack')}
      </a>
      <div class="kb-head">
        <h2>{campaign.name}</h2>
        <span class={`status-pill campaign-${campaign.status}`} data-status={campaign.status}>
          {t(STATUS_LABEL[campaign.status] ?? 'mStDraft')}
        </span>
      </div>
      <p class="muted small">
        {t('mSummaryLine', {
          segment: campaign.segmentId,
          channels: campaign.channels.map((c) => t(CHANNEL_LABEL[c])).join(', '),
          holdout: formatPercent(campaign.holdoutRatio, locale),
          days: campaign.attributionDays,
        })}
        {campaign.offer.kind === 'points' && ` · ${t('mOfferIs', { points: campaign.offer.points })}`}
        {campaign.schedule && ` · ${t('mScheduledFor', { time: new Date(campaign.schedule.at).toLocaleString(locale) })}`}
      </p>
      <NoticeLine notice={notice} />
      <div class="kb-actions" role="group" aria-label={t('mControls')}>
        {actionsFor(campaign.status).map((a) => (
          <button key={a} type="button" class={`btn${a === 'launch' ? ' primary' : ''}`} disabled={!!busy} onClick={() => void act(a)}>
            {busy === a ? t('saving') : t(ACTION_LABEL[a])}
          </button>
        ))}
        {campaign.status === 'draft' && (
          <button type="button" class="btn" onClick={() => setEditing(true)}>
            {t('mEditDraft')}
          </button>
        )}
        <button type="button" class="btn ghost" onClick={() => void load()}>
          {t('qRefresh')}
        </button>
      </div>
      {progress && (
        <section aria-labelledby="progress-heading">
          <h3 id="progress-heading">{t('mProgress')}</h3>
          <ul class="tiles small-tiles" aria-label={t('mProgress')}>
            <li class="tile" data-kpi="queued">
              <span class="tile-label">{t('mQueued')}</span>
              <strong class="tile-value">{progress.queued}</strong>
            </li>
            <li class="tile" data-kpi="sent">
              <span class="tile-label">{t('mSent')}</span>
              <strong class="tile-value">{progress.sent}</strong>
            </li>
            <li class="tile" data-kpi="holdout">
              <span class="tile-label">{t('mHeldOut')}</span>
              <strong class="tile-value">{progress.holdout}</strong>
            </li>
            <li class="tile" data-kpi="suppressed">
              <span class="tile-label">{t('mSuppressed')}</span>
              <strong class="tile-value">{progress.suppressedTotal}</strong>
              <span class="tile-note muted small">
                {Object.entries(progress.suppressed)
                  .map(([k, v]) => `${SUPPRESS_LABEL[k] ? t(SUPPRESS_LABEL[k]) : k} ${v}`)
                  .join(' · ')}
              </span>
            </li>
            <li class="tile" data-kpi="failed">
              <span class="tile-label">{t('mFailed')}</span>
              <strong class="tile-value">{progress.failed}</strong>
            </li>
            <li class="tile" data-kpi="deferred">
              <span class="tile-label">{t('mDeferred')}</span>
              <strong class="tile-value">{progress.deferred}</strong>
            </li>
          </ul>
        </section>
      )}
      <section aria-labelledby="report-heading" class="report">
        <h3 id="report-heading">{t('mReport')}</h3>
        {!report?.window && <p class="muted">{t('mReportNotStarted')}</p>}
        {report?.window && (
          <p class="muted small">
            {t('mWindow', { from: new Date(report.window.from).toLocaleString(locale), to: new Date(report.window.to).toLocaleString(locale) })}{' '}
            {report.window.complete ? t('mWindowDone') : t('mWindowOpen')}
          </p>
        )}
        {overall && (
          <>
            <table class="kb-table report-table">
              <thead>
                <tr>
                  <th scope="col">{t('mArm')}</th>
                  <th scope="col">{t('mMembers')}</th>
                  <th scope="col">{t('mConverters')}</th>
                  <th scope="col">{t('mRecallRate')}</th>
                  <th scope="col">{t('orderCount')}</th>
                  <th scope="col">{t('mRevenue')}</th>
                  <th scope="col">{t('mRevenuePerMember')}</th>
                </tr>
              </thead>
              <tbody>
                {(['treated', 'holdout'] as const).map((arm) => (
                  <tr key={arm} data-arm={arm}>
                    <th scope="row">{t(arm === 'treated' ? 'mTreated' : 'mHoldoutArm')}</th>
                    <td>{overall[arm].members}</td>
                    <td>{overall[arm].converters}</td>
                    <td>{formatPercent(overall[arm].recallRate, locale)}</td>
                    <td>{overall[arm].orders}</td>
                    <td>{money(overall[arm].revenue, 'CNY', locale)}</td>
                    <td>{overall[arm].revenuePerMember === null ? '–' : money(overall[arm].revenuePerMember, 'CNY', locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <dl class="uplift">
              <dt>{t('mUplift')}</dt>
              <dd data-uplift>
                {overall.uplift
                  ? `${pp(overall.uplift.estimate)} (${t('mCi', { low: pp(overall.uplift.ci95[0]), high: pp(overall.uplift.ci95[1]) })}) · ${overall.uplift.tooSmall ? t('mTooSmall', { min: MIN_ARM_MEMBERS }) : overall.uplift.significant ? t('mSignificant') : t('mNotSignificant')}`
                  : t('mNoUplift')}
              </dd>
              <dt>{t('mRevenueUplift')}</dt>
              <dd>
                {overall.revenuePerMemberUplift
                  ? `${money(overall.revenuePerMemberUplift.estimate, 'CNY', locale)} (${t('mCi', { low: money(overall.revenuePerMemberUplift.ci95[0], 'CNY', locale), high: money(overall.revenuePerMemberUplift.ci95[1], 'CNY', locale) })})`
                  : '–'}
              </dd>
              <dt>{t('mIncremental')}</dt>
              <dd>
                {overall.incremental
                  ? t('mIncrementalIs', {
                      conversions: formatNumber(overall.incremental.conversions, locale),
                      revenue: money(overall.incremental.revenue, 'CNY', locale),
                    })
                  : '–'}
              </dd>
            </dl>
            {overall.uplift && <UpliftChart uplift={overall.uplift} t={t} locale={locale} />}
          </>
        )}
        {report && <p class="muted small">{locale === 'zh-CN' ? report.method.zh : report.method.en}</p>}
      </section>
    </div>
  );
}

/**
 * The uplift and its 95 % interval on a horizontal axis around zero (drawn by hand: no chart
 * library is installed; see charts.tsx). The numbers are also in the text above.
 */
function UpliftChart(props: { uplift: { estimate: number; ci95: [number, number]; significant: boolean }; t: Translate; locale: string }) {
  const { estimate, ci95 } = props.uplift;
  const span = Math.max(0.01, Math.abs(ci95[0]), Math.abs(ci95[1]), Math.abs(estimate)) * 1.15;
  const W = 480;
  const x = (v: number) => 20 + ((v + span) / (2 * span)) * (W - 40);
  const label = props.t('mCiChart', {
    estimate: formatNumber(estimate * 100, props.locale, 2),
    low: formatNumber(ci95[0] * 100, props.locale, 2),
    high: formatNumber(ci95[1] * 100, props.locale, 2),
  });
  return (
    <svg class="ci-chart" viewBox={`0 0 ${W} 56`} role="img" aria-label={label}>
      <line x1={x(0)} x2={x(0)} y1={6} y2={46} class="axis" />
      <line x1={x(ci95[0])} x2={x(ci95[1])} y1={26} y2={26} stroke={props.uplift.significant ? '#166534' : '#4b5563'} stroke-width={4} />
      <circle cx={x(estimate)} cy={26} r={6} fill={props.uplift.significant ? '#166534' : '#1f2937'} />
      <text x={x(0)} y={54} text-anchor="middle" class="tick">
        0
      </text>
      <text x={x(ci95[0])} y={16} text-anchor="middle" class="tick">
        {formatNumber(ci95[0] * 100, props.locale, 1)}
      </text>
      <text x={x(ci95[1])} y={16} text-anchor="middle" class="tick">
        {formatNumber(ci95[1] * 100, props.locale, 1)}
      </text>
    </svg>
  );
}
