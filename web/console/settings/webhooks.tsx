/** Settings › webhooks: the shop's webhook URL and secret, a test event, the delivery log with retry. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime } from '../../lib/format.ts';
import type { FieldError } from '../../lib/http.ts';
import '../i18n-shop.ts';
import { useI18n } from '../i18n.ts';
import { Async, failureNotice, fieldHelpers, type Notice, NoticeLine, type Resource, TextField, useResource } from '../kit/index.ts';
import type { SettingsSectionProps } from './common.tsx';
import { type ShopSettingsView, saveShopSettings, webhookUrlProblem } from './shop-form.tsx';
import { DeliveryLog } from './webhooks-log.tsx';

export function WebhookSettings(props: SettingsSectionProps) {
  const { t } = useI18n();
  const settings = useResource(() => props.api.call<ShopSettingsView>('/shop-settings'), [props.api]);
  /** Bumped to make the log reload (after a test event). */
  const [logTick, setLogTick] = useState(0);
  return (
    <section class="webhooks" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">{t('setWebhooks')}</h2>
      <p class="muted small">{t('whIntro')}</p>
      <Async resource={settings}>
        {(data) => (
          <>
            <WebhookUrl {...props} data={data} settings={settings} />
            <SigningSecret {...props} data={data} onRotated={() => void settings.reload()} />
            <TestEvent {...props} data={data} onSent={() => setLogTick((n) => n + 1)} />
          </>
        )}
      </Async>
      <DeliveryLog api={props.api} tick={logTick} />
    </section>
  );
}

type Part = SettingsSectionProps & { data: ShopSettingsView };

function WebhookUrl(props: Part & { settings: Resource<ShopSettingsView> }) {
  const { t } = useI18n();
  const [url, setUrl] = useState(props.data.webhookUrl ?? '');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setUrl(props.data.webhookUrl ?? ''), [props.data.version]);
  const f = fieldHelpers(errors, 'webhook');

  const save = (event: Event) => {
    event.preventDefault();
    const typed = url.trim();
    void saveShopSettings({
      api: props.api,
      t,
      settings: props.settings,
      ui: { setBusy, setErrors, setNotice },
      invalid: webhookUrlProblem(typed, t),
      change: { webhookUrl: typed === '' ? null : typed },
      conflictText: t('shConflict'),
      saved: (view) => ({ kind: 'ok', text: view.webhookUrl ? t('whUrlSaved') : t('whUrlCleared') }),
    });
  };

  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="webhook-url-heading">
      <h3 id="webhook-url-heading">{t('whUrlHeading')}</h3>
      <NoticeLine notice={notice} />
      <TextField
        id="webhook-url"
        label={t('whUrl')}
        inputClass="mono"
        value={url}
        maxLength={2048}
        placeholder="https://shop.example.com/kefu-webhook"
        autocomplete="url"
        errors={f}
        path="webhookUrl"
        hint={t('whUrlHint')}
        onInput={setUrl}
      />
      {!props.data.webhookUrl && <p class="muted small">{t('whNoUrl')}</p>}
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('whSaveUrl')}
        </button>
      </div>
    </form>
  );
}

function CopyIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <rect x="9" y="9" width="11" height="11" rx="2" fill="none" stroke="currentColor" stroke-width="2" />
      <path d="M5 15V5a2 2 0 0 1 2-2h8" fill="none" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}

function SigningSecret(props: Part & { onRotated: () => void }) {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>();
  /** The new secret: shown once, in this component only (gone when the page changes). */
  const [secret, setSecret] = useState<string>();
  const [copied, setCopied] = useState<Notice | undefined>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const rotate = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      const res = await props.api.call<{ secret: string; rotatedAt: string }>('/webhooks/secret/rotate', {});
      setSecret(res.secret);
      setCopied(undefined);
      setConfirming(false);
      setNotice({ kind: 'ok', text: t('whRotated') });
      props.onRotated();
    } catch (err) {
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret ?? '');
      setCopied({ kind: 'ok', text: t('whCopied') });
    } catch {
      setCopied({ kind: 'error', text: t('whCopyFailed') });
    }
  };

  return (
    <section class="kb-form" aria-labelledby="webhook-secret-heading">
      <h3 id="webhook-secret-heading">{t('whSecretHeading')}</h3>
      <p class="muted small">{t('whSecretIntro')}</p>
      <p>
        {t('whSecretCurrent', { hint: props.data.webhookSecretHint })}
        {props.data.webhookSecretRotatedAt && (
          <span class="muted small"> · {t('whSecretRotatedAt', { time: formatTime(props.data.webhookSecretRotatedAt, locale) })}</span>
        )}
      </p>
      <NoticeLine notice={notice} />
      {secret && (
        <div class="field new-secret">
          <label for="webhook-new-secret">{t('whNewSecret')}</label>
          <div class="secret-row">
            <input
              id="webhook-new-secret"
              class="mono"
              readOnly
              value={secret}
              aria-describedby="webhook-new-secret-once"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" class="btn" onClick={() => void copy()}>
              <CopyIcon /> {t('whCopy')}
            </button>
          </div>
          <strong id="webhook-new-secret-once" class="warn">
            {t('whNewSecretOnce')}
          </strong>
          <NoticeLine notice={copied} />
        </div>
      )}
      {confirming ? (
        <div class="confirm">
          <p id="webhook-rotate-warn">{t('whRotateWarn')}</p>
          <div class="kb-actions">
            <button ref={confirmRef} type="button" class="btn danger" disabled={busy} aria-describedby="webhook-rotate-warn" onClick={() => void rotate()}>
              {busy ? t('saving') : t('whRotateConfirm')}
            </button>
            <button type="button" class="btn ghost" disabled={busy} onClick={() => setConfirming(false)}>
              {t('whCancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="kb-actions">
          <button type="button" class="btn" onClick={() => setConfirming(true)}>
            {t('whRotate')}
          </button>
        </div>
      )}
    </section>
  );
}

function TestEvent(props: Part & { onSent: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>();
  const ready = !!props.data.webhookUrl;

  const send = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      await props.api.call('/webhooks/test', {});
      setNotice({ kind: 'ok', text: t('whTestQueued') });
      props.onSent();
    } catch (err) {
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="kb-form" aria-labelledby="webhook-test-heading">
      <h3 id="webhook-test-heading">{t('whTestHeading')}</h3>
      <p id="webhook-test-hint" class="muted small">
        {ready ? t('whTestHint') : t('whTestNeedsUrl')}
      </p>
      <NoticeLine notice={notice} />
      <div class="kb-actions">
        <button type="button" class="btn" disabled={!ready || busy} aria-describedby="webhook-test-hint" onClick={() => void send()}>
          {t('whTest')}
        </button>
      </div>
    </section>
  );
}
