/**
 * Marketing › campaigns › draft form: audience, holdout, channels with zh + en content, offer,
 * send time, attribution, frequency cap and quiet hours. Under the channels it says how many of the
 * audience they reach (consent, address) and warns when nobody can be reached — launching such a
 * campaign is refused.
 */
import { useState } from 'preact/hooks';
import { isTimeZone } from '../../../shared/campaigns/quiet-hours.ts';
import type { PoolView } from '../../../shared/coupons/service.ts';
import { type FieldError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { type FieldHelpers, failureNotice, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField, useResource } from '../kit/index.ts';
import {
  type Campaign,
  type CampaignForm,
  campaignBody,
  campaignFormOf,
  campaignProblems,
  emptyCampaign,
  MARKETING_CHANNELS,
  type MarketingChannel,
  PLACEHOLDERS,
  type Segment,
} from '../marketing-state.ts';
import { toggle } from '../settings-state.ts';
import { unclaimed } from '../tickets-state.ts';
import { CHANNEL_LABEL, OwnError, problemErrors, ReachLine, rememberedSegment, rememberSegment, useReach } from './common.tsx';

/** The unexpired coupon pools with codes left (the one chosen stays listed), with their terms and stock. */
function CouponPicker(props: { api: StaffApi; value: string; errors: FieldHelpers; onChange: (poolId: string) => void }) {
  const { t, locale } = useI18n();
  const pools = useResource(() => props.api.call<{ pools: PoolView[] }>('/coupons/pools').then((r) => r.pools), [props.api]);
  const now = new Date().toISOString();
  const usable = (pools.data ?? []).filter((p) => p.poolId === props.value || (p.expiresAt > now && p.available > 0));
  const options = usable.map((p) => ({
    value: p.poolId,
    label: t('mkCouponPoolOption', {
      name: pickText(p.name, locale),
      terms: p.threshold > 0 ? t('mkCouponTermsMin', { value: p.value, threshold: p.threshold }) : t('mkCouponTerms', { value: p.value }),
      available: p.available,
      date: p.expiresAt.slice(0, 10),
    }),
  }));
  if (pools.data && options.length === 0) return <p class="muted small">{t('mkCouponNoPools')}</p>;
  return (
    <SelectField
      id="cmp-coupon"
      label={t('mkCouponPool')}
      value={props.value}
      options={options}
      blank={pools.data ? '—' : t('loading')}
      errors={props.errors}
      path="offer.poolId"
      hint={t('mkCouponHint')}
      onChange={props.onChange}
    />
  );
}

const FIELDS = ['name', 'segmentId', 'channels', 'variants', 'offer', 'schedule', 'holdoutRatio', 'frequencyCap', 'quietHours', 'attributionDays'];

export function CampaignEditor(props: { api: StaffApi; campaign: Campaign | undefined; onSaved?: (c: Campaign) => void }) {
  const { t } = useI18n();
  const editing = props.campaign;
  const [form, setForm] = useState<CampaignForm>(() => (editing ? campaignFormOf(editing) : { ...emptyCampaign(), segmentId: rememberedSegment() ?? '' }));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'cmp');
  const set = <K extends keyof CampaignForm>(key: K, value: CampaignForm[K]) => setForm((x) => ({ ...x, [key]: value }));
  const segments = useResource(async () => {
    const items = (await props.api.call<{ items: Segment[] }>('/segments')).items;
    setForm((x) => (x.segmentId || !items[0] ? x : { ...x, segmentId: items[0].segmentId }));
    return items;
  }, [props.api]);
  const segment = segments.data?.find((s) => s.segmentId === form.segmentId);
  const reach = useReach(props.api, segment?.conditions, form.channels);

  const save = async (event: Event) => {
    event.preventDefault();
    const problems = problemErrors(campaignProblems(form, isTimeZone), t);
    if (problems.length) {
      setErrors(problems);
      setNotice({ kind: 'error', text: t('setInvalid') });
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      const saved = editing
        ? await props.api.put<Campaign>(`/campaigns/${encodeURIComponent(editing.campaignId)}`, campaignBody(form, editing.version))
        : await props.api.call<Campaign>('/campaigns', campaignBody(form));
      rememberSegment(undefined);
      if (props.onSaved) props.onSaved(saved);
      else location.hash = `#/campaigns/campaigns/${encodeURIComponent(saved.campaignId)}`;
    } catch (err) {
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t, t('setConflict')));
    } finally {
      setBusy(false);
    }
  };

  const setText = (channel: MarketingChannel, lang: 'zh' | 'en', part: 'a' | 'b', value: string) =>
    setForm((x) => ({ ...x, content: { ...x.content, [channel]: { ...x.content[channel], [lang]: { ...x.content[channel][lang], [part]: value } } } }));
  const radio = <K extends 'offer' | 'capMode' | 'quiet'>(name: string, key: K, value: CampaignForm[K], label: string) => (
    <label>
      <input type="radio" name={name} checked={form[key] === value} onChange={() => set(key, value)} /> {label}
    </label>
  );
  const number = (id: string, label: string, key: 'capMax' | 'capWindowHours', path: string, max: number) => (
    <>
      <label for={id}>{label}</label>
      <input id={id} type="number" min={1} max={max} value={form[key]} {...f.invalidOf(path)} onInput={(e) => set(key, e.currentTarget.value)} />
    </>
  );
  const time = (id: string, label: string, key: 'quietStart' | 'quietEnd' | 'quietZone', path: string) => (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        class={key === 'quietZone' ? undefined : 'time'}
        value={form[key]}
        {...f.invalidOf(path)}
        onInput={(e) => set(key, e.currentTarget.value)}
      />
    </>
  );

  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="campaign-heading">
      {!editing && (
        <a class="btn ghost" href="#/campaigns/campaigns">
          ← {t('setBack')}
        </a>
      )}
      <h2 id="campaign-heading">{editing ? t('mEditDraft') : t('mNewCampaign')}</h2>
      <NoticeLine notice={notice && { ...notice, extra: unclaimed(errors, FIELDS) }} />
      <div class="kb-fields">
        <TextField id="cmp-name" class="wide" label={t('setName')} value={form.name} maxLength={120} errors={f} path="name" onInput={(v) => set('name', v)} />
        <SelectField
          id="cmp-segment"
          label={t('mAudience')}
          value={form.segmentId}
          blank={form.segmentId ? undefined : t('mPickSegment')}
          options={(segments.data ?? []).map((s) => ({ value: s.segmentId, label: s.name }))}
          errors={f}
          path="segmentId"
          onChange={(v) => set('segmentId', v)}
        />
        <TextField
          id="cmp-holdout"
          label={t('mHoldoutPercent')}
          type="number"
          min={0}
          max={99}
          value={form.holdoutPercent}
          hint={t('mHoldoutHint')}
          errors={f}
          path="holdoutRatio"
          onInput={(v) => set('holdoutPercent', v)}
        />
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
      <ReachLine figures={reach.figures} error={reach.error} busy={reach.busy} id="cmp-reach" />
      <p class="muted small">{t('mPlaceholders', { list: PLACEHOLDERS.join(' ') })}</p>
      {form.channels.map((channel) => (
        <fieldset key={channel} class="field message-box">
          <legend class="label">{t('mMessageOn', { channel: t(CHANNEL_LABEL[channel]) })}</legend>
          <div class="kb-body">
            {(['zh', 'en'] as const).map((lang) => {
              const path = `variants.0.content.${channel}.${lang}`;
              const language = t(lang === 'zh' ? 'kbLangZh' : 'kbLangEn');
              return (
                <div key={lang} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
                  <TextField
                    id={`cmp-${channel}-${lang}-a`}
                    label={t('mkFieldLang', { field: t(channel === 'email' ? 'mSubject' : 'mTitle'), lang: language })}
                    value={form.content[channel][lang].a}
                    maxLength={200}
                    errors={f}
                    path={`${path}.${channel === 'email' ? 'subject' : 'title'}`}
                    onInput={(v) => setText(channel, lang, 'a', v)}
                  />
                  <TextField
                    id={`cmp-${channel}-${lang}-b`}
                    label={t('mkFieldLang', { field: t('mBody'), lang: language })}
                    rows={4}
                    value={form.content[channel][lang].b}
                    errors={f}
                    path={`${path}.body`}
                    onInput={(v) => setText(channel, lang, 'b', v)}
                  />
                </div>
              );
            })}
          </div>
          <OwnError errors={errors} path={`variants.0.content.${channel}`} id={`cmp-content-${channel}-error`} />
        </fieldset>
      ))}
      <OwnError errors={errors} path="variants" id="cmp-variants-error" />
      <div class="kb-fields">
        <fieldset class="field">
          <legend class="label">{t('mOffer')}</legend>
          <div class="radio-row">
            {radio('cmp-offer', 'offer', 'none', t('mOfferNone'))}
            {radio('cmp-offer', 'offer', 'points', t('mOfferPoints'))}
            {radio('cmp-offer', 'offer', 'coupon', t('mkOfferCoupon'))}
          </div>
          {form.offer === 'points' && (
            <TextField
              id="cmp-points"
              label={t('mBonusPoints')}
              type="number"
              min={1}
              value={form.points}
              errors={f}
              path="offer"
              onInput={(v) => set('points', v)}
            />
          )}
          {form.offer === 'coupon' && <CouponPicker api={props.api} value={form.couponPoolId} errors={f} onChange={(v) => set('couponPoolId', v)} />}
          {form.offer === 'none' && f.errorOf('offer')}
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
        <TextField
          id="cmp-attribution"
          label={t('mAttribution')}
          type="number"
          min={1}
          max={90}
          value={form.attributionDays}
          errors={f}
          path="attributionDays"
          onInput={(v) => set('attributionDays', v)}
        />
      </div>
      <div class="kb-fields">
        <fieldset class="field">
          <legend class="label">{t('mCap')}</legend>
          <div class="radio-row">
            {radio('cmp-cap', 'capMode', 'default', t('mCapDefault'))}
            {radio('cmp-cap', 'capMode', 'custom', t('mCustom'))}
          </div>
          {form.capMode === 'custom' && (
            <div class="inline-form">
              {number('cmp-cap-max', t('mCapMax'), 'capMax', 'frequencyCap.max', 20)}
              {number('cmp-cap-window', t('mCapWindow'), 'capWindowHours', 'frequencyCap.windowHours', 720)}
            </div>
          )}
          {f.errorOf('frequencyCap')}
        </fieldset>
        <fieldset class="field">
          <legend class="label">{t('mQuiet')}</legend>
          <div class="radio-row">
            {radio('cmp-quiet', 'quiet', 'default', t('mQuietDefault'))}
            {radio('cmp-quiet', 'quiet', 'off', t('mQuietOff'))}
            {radio('cmp-quiet', 'quiet', 'custom', t('mCustom'))}
          </div>
          {form.quiet === 'custom' && (
            <div class="inline-form">
              {time('cmp-quiet-start', t('setFrom'), 'quietStart', 'quietHours.start')}
              {time('cmp-quiet-end', t('setTo'), 'quietEnd', 'quietHours.end')}
              {time('cmp-quiet-zone', t('setTimeZone'), 'quietZone', 'quietHours.timeZone')}
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
