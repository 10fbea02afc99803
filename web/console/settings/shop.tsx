/** Settings › shop: the shop's general settings (name, bot, assign-on-reply, transcript retention). */
import { useEffect, useState } from 'preact/hooks';
import { formatTime } from '../../lib/format.ts';
import type { FieldError } from '../../lib/http.ts';
import '../i18n-shop.ts';
import { useI18n } from '../i18n.ts';
import { Async, fieldHelpers, type Notice, NoticeLine, type Resource, TextField, useResource } from '../kit/index.ts';
import { unclaimed } from '../tickets-state.ts';
import type { SettingsSectionProps } from './common.tsx';
import { SaveButton } from './common.tsx';
import { LogisticsSettingsSection } from './logistics.tsx';
import { RETENTION_MAX, RETENTION_MIN, type ShopForm, type ShopSettingsView, saveShopSettings, shopChange, shopForm, shopFormProblem } from './shop-form.tsx';

export function ShopSettings(props: SettingsSectionProps) {
  const settings = useResource(() => props.api.call<ShopSettingsView>('/shop-settings'), [props.api]);
  return (
    <>
      <Async resource={settings}>{(data) => <ShopEditor {...props} data={data} settings={settings} />}</Async>
      <LogisticsSettingsSection api={props.api} />
    </>
  );
}

function ShopEditor(props: SettingsSectionProps & { data: ShopSettingsView; settings: Resource<ShopSettingsView> }) {
  const { t, locale } = useI18n();
  const { data } = props;
  const [form, setForm] = useState<ShopForm>(() => shopForm(data));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const [busy, setBusy] = useState(false);
  // A newer version (after a save, or loaded after a 409) refills the form.
  useEffect(() => setForm(shopForm(data)), [data.version]);
  const f = fieldHelpers(errors, 'shop');
  const set = <K extends keyof ShopForm>(key: K, value: ShopForm[K]) => setForm((x) => ({ ...x, [key]: value }));

  const save = (event: Event) => {
    event.preventDefault();
    void saveShopSettings({
      api: props.api,
      t,
      settings: props.settings,
      ui: { setBusy, setErrors, setNotice },
      invalid: shopFormProblem(form, t),
      change: shopChange(form),
      conflictText: t('shConflict'),
      saved: () => ({ kind: 'ok', text: t('shSaved') }),
    });
  };

  const other = unclaimed(errors, ['name', 'botEnabled', 'assignOnReply', 'transcriptRetentionDays']);
  return (
    <form class="kb-form shop-settings" onSubmit={save} noValidate aria-labelledby="shop-heading">
      <h2 id="shop-heading">{t('shHeading')}</h2>
      <p class="muted small">{t('shIntro')}</p>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <TextField id="shop-name" label={t('shName')} value={form.name} maxLength={100} errors={f} path="name" onInput={(v) => set('name', v)} />
        <TextField
          id="shop-retention"
          label={t('shRetention')}
          type="number"
          min={RETENTION_MIN}
          max={RETENTION_MAX}
          value={form.retention}
          errors={f}
          path="transcriptRetentionDays"
          hint={t('shRetentionHint')}
          onInput={(v) => set('retention', v)}
        />
      </div>
      <div class="field">
        <label class="toggle">
          <input
            type="checkbox"
            id="shop-bot"
            checked={form.botEnabled}
            aria-describedby="shop-bot-hint"
            onChange={(e) => set('botEnabled', e.currentTarget.checked)}
          />
          {t('shBot')}
        </label>
        <span id="shop-bot-hint" class="muted small">
          {t('shBotHint')}
        </span>
        {f.errorOf('botEnabled')}
      </div>
      <div class="field">
        <label class="toggle">
          <input
            type="checkbox"
            id="shop-assign"
            checked={form.assignOnReply}
            aria-describedby="shop-assign-hint"
            onChange={(e) => set('assignOnReply', e.currentTarget.checked)}
          />
          {t('shAssign')}
        </label>
        <span id="shop-assign-hint" class="muted small">
          {t('shAssignHint')}
        </span>
        {f.errorOf('assignOnReply')}
      </div>
      <p class="muted small">
        {t('shIdentitySecret', { hint: data.identitySecretHint })} · {t('shIdentitySecretHint')}
      </p>
      {data.updatedAt && <p class="muted small">{t('shLastChange', { time: formatTime(data.updatedAt, locale) })}</p>}
      <SaveButton busy={busy} />
    </form>
  );
}
