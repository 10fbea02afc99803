/**
 * What the shop and webhook tabs share: the shop settings as `GET /shop-settings` answers them,
 * the form as typed, its client-side checks, and the save (`PUT /shop-settings` with the version
 * read; a 409 loads the newer settings so the admin redoes the change on them).
 */
import type { ShopSettingsView } from '../../../shared/shop/settings.ts';
import { ApiError, type FieldError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import type { Translate } from '../i18n.ts';
import type { Notice, Resource } from '../kit/index.ts';
import { submitForm } from './common.tsx';

export type { ShopSettingsView };

export const RETENTION_MIN = 1;
export const RETENTION_MAX = 3650;

export interface ShopForm {
  name: string;
  botEnabled: boolean;
  assignOnReply: boolean;
  /** Days as typed; '' = keep forever. */
  retention: string;
}

export function shopForm(s: ShopSettingsView): ShopForm {
  return {
    name: s.name,
    botEnabled: s.botEnabled,
    assignOnReply: s.assignOnReply,
    retention: s.transcriptRetentionDays === null ? '' : String(s.transcriptRetentionDays),
  };
}

/** The retention as the body carries it: null for empty, a whole number in range, else undefined (invalid). */
export function retentionDays(typed: string): number | null | undefined {
  const text = typed.trim();
  if (text === '') return null;
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const days = Number(text);
  return days >= RETENTION_MIN && days <= RETENTION_MAX ? days : undefined;
}

/** The first field a form would send wrong, with the message the admin reads. */
export function shopFormProblem(form: ShopForm, t: Translate): FieldError | undefined {
  if (form.name.trim() === '') return { path: 'name', message: t('shNameRule') };
  if (retentionDays(form.retention) === undefined) return { path: 'transcriptRetentionDays', message: t('shRetentionRule') };
  return undefined;
}

/** The change a shop form saves (the version is added by `saveShopSettings`). */
export function shopChange(form: ShopForm) {
  return {
    name: form.name.trim(),
    botEnabled: form.botEnabled,
    assignOnReply: form.assignOnReply,
    transcriptRetentionDays: retentionDays(form.retention) ?? null,
  };
}

/** A webhook URL as typed: '' clears it; otherwise it must at least parse as an http(s) URL (the server checks the rest). */
export function webhookUrlProblem(typed: string, t: Translate): FieldError | undefined {
  const text = typed.trim();
  if (text === '') return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : { path: 'webhookUrl', message: t('whUrlRule') };
  } catch {
    return { path: 'webhookUrl', message: t('whUrlRule') };
  }
}

/**
 * Saves a change to the shop settings with the version on screen. Success replaces the settings
 * with the server's answer; a 409 reloads them (the form is re-filled from the newer version).
 */
export function saveShopSettings(opts: {
  api: StaffApi;
  t: Translate;
  settings: Resource<ShopSettingsView>;
  ui: { setBusy: (b: boolean) => void; setErrors: (e: FieldError[]) => void; setNotice: (n: Notice | undefined) => void };
  invalid: FieldError | undefined;
  change: Record<string, unknown>;
  conflictText: string;
  saved: (view: ShopSettingsView) => Notice;
  after?: (view: ShopSettingsView) => void;
}): Promise<void> {
  const { api, t, settings } = opts;
  const version = settings.data?.version ?? 0;
  return submitForm(
    {
      ...opts.ui,
      setNotice: (notice) => {
        opts.ui.setNotice(notice?.kind === 'conflict' ? { ...notice, text: opts.conflictText } : notice);
      },
    },
    t,
    opts.invalid,
    async () => {
      try {
        return await api.put<ShopSettingsView>('/shop-settings', { version, ...opts.change });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) await settings.reload();
        throw err;
      }
    },
    (view) => {
      settings.set(view);
      return opts.saved(view);
    },
    (view) => opts.after?.(view),
  );
}
