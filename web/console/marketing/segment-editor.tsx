/** Marketing › segments › editor: conditions with a live count and a sample of members; saving is versioned. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Preview } from '../../../shared/campaigns/segments.ts';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { Async, carryNotice, errorMessage, failureNotice, fieldHelpers, type Notice, NoticeLine, TextField, takeNotice, useResource } from '../kit/index.ts';
import {
  CHURN_LEVELS,
  CHURN_REASONS,
  conditionsOf,
  emptySegment,
  MARKETING_CHANNELS,
  RANGES,
  type Segment,
  type SegmentForm,
  segmentBody,
  segmentForm,
  segmentProblems,
} from '../marketing-state.ts';
import { toggle } from '../settings-state.ts';
import { unclaimed } from '../tickets-state.ts';
import { CHANNEL_LABEL, LEVEL_LABEL, problemErrors, RANGE_LABEL, reasonKey, rememberSegment, type Tier, tierLabel } from './common.tsx';

export function SegmentEditor(props: { api: StaffApi; tiers: Tier[]; segmentId: string }) {
  return props.segmentId === 'new' ? <SegmentFormView api={props.api} tiers={props.tiers} segment={undefined} /> : <StoredSegment {...props} />;
}

function StoredSegment(props: { api: StaffApi; tiers: Tier[]; segmentId: string }) {
  const segment = useResource(() => props.api.call<Segment>(`/segments/${encodeURIComponent(props.segmentId)}`), [props.api, props.segmentId]);
  return (
    <Async resource={segment}>
      {(s) => <SegmentFormView key={s.version} api={props.api} tiers={props.tiers} segment={s} onConflict={() => void segment.reload()} />}
    </Async>
  );
}

function SegmentFormView(props: { api: StaffApi; tiers: Tier[]; segment: Segment | undefined; onConflict?: () => void }) {
  const { t, locale } = useI18n();
  const creating = !props.segment;
  const [form, setForm] = useState<SegmentForm>(() => (props.segment ? segmentForm(props.segment) : emptySegment()));
  const [version, setVersion] = useState(props.segment?.version);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`segment:${props.segment?.segmentId ?? 'new'}`));
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview>();
  const [previewError, setPreviewError] = useState<string>();
  const [counting, setCounting] = useState(false);
  const seq = useRef(0);
  const f = fieldHelpers(errors, 'seg');
  const set = <K extends keyof SegmentForm>(key: K, value: SegmentForm[K]) => setForm((x) => ({ ...x, [key]: value }));

  const conditions = JSON.stringify(conditionsOf(form));
  useEffect(() => {
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
  }, [conditions]);

  const save = async (event: Event) => {
    event.preventDefault();
    const problems = problemErrors(segmentProblems(form, creating), t);
    if (problems.length) {
      setErrors(problems);
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
      if (err instanceof ApiError && err.status === 409 && creating) setNotice({ kind: 'conflict', text: t('mSegmentExists') });
      else if (err instanceof ApiError && err.status === 409) {
        carryNotice(`segment:${form.segmentId}`, { kind: 'conflict', text: t('setConflict') });
        props.onConflict?.();
      } else {
        setErrors(fieldErrors(err));
        setNotice(failureNotice(err, t));
      }
    } finally {
      setBusy(false);
    }
  };

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
  const bound = (label: string, path: string, value: string, onInput: (v: string) => void, max?: number) => (
    <input type="number" min={0} max={max} aria-label={label} value={value} {...f.invalidOf(path)} onInput={(e) => onInput(e.currentTarget.value)} />
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
          <TextField
            id="seg-id"
            label={t('setId')}
            inputClass="mono"
            value={form.segmentId}
            readOnly={!creating}
            maxLength={63}
            errors={f}
            path="segmentId"
            onInput={(v) => set('segmentId', v.trim())}
          />
          <TextField id="seg-name" class="wide" label={t('setName')} value={form.name} maxLength={120} errors={f} path="name" onInput={(v) => set('name', v)} />
          <TextField
            id="seg-desc"
            class="wide"
            label={t('mDescription')}
            value={form.description}
            maxLength={1000}
            errors={f}
            path="description"
            onInput={(v) => set('description', v)}
          />
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
                    {bound(`${t(RANGE_LABEL[r])} ${t(end === 'min' ? 'mMin' : 'mMax')}`, `conditions.${r}`, form.ranges[r][end], (v) =>
                      set('ranges', { ...form.ranges, [r]: { ...form.ranges[r], [end]: v } }),
                    )}
                  </td>
                ))}
                {f.errorOf(`conditions.${r}`) && <td>{f.errorOf(`conditions.${r}`)}</td>}
              </tr>
            ))}
            <tr>
              <th scope="row">{t('mRiskPercent')}</th>
              <td>{bound(`${t('mRiskPercent')} ${t('mMin')}`, 'conditions.churnRisk', form.riskMin, (v) => set('riskMin', v), 100)}</td>
              <td>{bound(`${t('mRiskPercent')} ${t('mMax')}`, 'conditions.churnRisk', form.riskMax, (v) => set('riskMax', v), 100)}</td>
              {f.errorOf('conditions.churnRisk') && <td>{f.errorOf('conditions.churnRisk')}</td>}
            </tr>
          </tbody>
        </table>
        <div class="kb-fields">
          <TextField id="seg-any" label={t('mLabelsAny')} value={form.labelsAny} errors={f} path="conditions.labels" onInput={(v) => set('labelsAny', v)} />
          <TextField id="seg-all" label={t('mLabelsAll')} value={form.labelsAll} onInput={(v) => set('labelsAll', v)} />
          <TextField id="seg-none" label={t('mLabelsNone')} value={form.labelsNone} onInput={(v) => set('labelsNone', v)} />
        </div>
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
