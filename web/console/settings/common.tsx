/** What the settings sub-sections share: the lookups they read, the save flow and the list heading. */
import type { FieldError } from '../../lib/http.ts';
import { ApiError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, type Translate, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { type FieldHelpers, failureNotice, type Notice, pickText, TextField } from '../kit/index.ts';
import type { TicketConfig } from '../tickets-store.ts';

export interface Tier {
  tierId: string;
  rank: number;
  name: { zh: string; en: string };
}

/** Read once by the settings page: the ticket configuration, the staff and the member tiers. */
export interface Lookups {
  config: TicketConfig;
  staff: StaffMember[];
  tiers: Tier[];
}

/** Props of a settings tab that loads its own data (not the ticket lookups). */
export interface SettingsSectionProps {
  api: StaffApi;
  /** The item in the URL (#/settings/{tab}/{itemId}), if any. */
  itemId: string | undefined;
  me: string;
  roles: readonly string[];
}

/** Props of a sub-section: the API, the lookups, and a reload after a save. */
export interface SectionProps {
  api: StaffApi;
  lookups: Lookups;
  onSaved: () => Promise<void>;
}

/** Loads the lookups (tiers are optional: a failure there leaves the tier overrides out). */
export async function loadLookups(api: StaffApi): Promise<Lookups> {
  const [config, staff, tiers] = await Promise.all([
    api.call<TicketConfig>('/ticket-config'),
    api.call<{ items: StaffMember[] }>('/staff'),
    api.call<{ tiers: Tier[] }>('/tiers').catch(() => ({ tiers: [] as Tier[] })),
  ]);
  return { config, staff: staff.items, tiers: [...tiers.tiers].sort((a, b) => a.rank - b.rank) };
}

export interface FormUi {
  setBusy: (busy: boolean) => void;
  setErrors: (errors: FieldError[]) => void;
  setNotice: (notice: Notice | undefined) => void;
}

/**
 * The save flow the settings forms share: refuse an invalid id before any request, then save,
 * report success, or put the server's field messages next to their fields.
 */
export async function submitForm<R>(
  ui: FormUi,
  t: Translate,
  invalid: FieldError | undefined,
  save: () => Promise<R>,
  success: (result: R) => Notice,
  after?: (result: R, notice: Notice) => void,
): Promise<void> {
  if (invalid) {
    ui.setErrors([invalid]);
    ui.setNotice({ kind: 'error', text: t('kitInvalid') });
    return;
  }
  ui.setBusy(true);
  ui.setErrors([]);
  ui.setNotice(undefined);
  try {
    const result = await save();
    const notice = success(result);
    ui.setNotice(notice);
    after?.(result, notice);
  } catch (err) {
    ui.setErrors(fieldErrors(err));
    ui.setNotice(failureNotice(err, t, t('setConflict')));
  } finally {
    ui.setBusy(false);
  }
}

/**
 * Saves a versioned settings form that reloads after saving: the screen's own checks first (their
 * messages next to the fields), then the PUT; success and a concurrent edit (409: the newer version
 * is loaded) both reload with a notice; other failures put the server's messages by their fields.
 */
export async function saveAndReload(
  ui: FormUi,
  t: Translate,
  problems: FieldError[],
  put: () => Promise<unknown>,
  reload: (notice: Notice) => Promise<void>,
  texts: { saved: string; conflict: string },
): Promise<void> {
  ui.setNotice(undefined);
  if (problems.length) {
    ui.setErrors(problems);
    ui.setNotice({ kind: 'error', text: t('kitInvalid') });
    return;
  }
  ui.setBusy(true);
  ui.setErrors([]);
  try {
    await put();
    await reload({ kind: 'ok', text: texts.saved });
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      await reload({ kind: 'conflict', text: texts.conflict });
      return;
    }
    ui.setErrors(fieldErrors(err));
    ui.setNotice(failureNotice(err, t));
  } finally {
    ui.setBusy(false);
  }
}

/** A number field's label, hint and bounds. */
export interface NumberSpec {
  label: ConsoleKey;
  hint: ConsoleKey;
  min: number;
  max: number;
}

/** A settings form's row of number fields (id `{prefix}-{key}`, server errors at path `key`). */
export function NumberFields<K extends string>(props: {
  prefix: string;
  keys: readonly K[];
  spec: Record<K, NumberSpec>;
  form: Record<K, string>;
  errors: FieldHelpers;
  onInput: (key: K, value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="kb-fields">
      {props.keys.map((k) => (
        <TextField
          key={k}
          id={`${props.prefix}-${k}`}
          label={t(props.spec[k].label)}
          type="number"
          min={props.spec[k].min}
          max={props.spec[k].max}
          value={props.form[k]}
          errors={props.errors}
          path={k}
          hint={t(props.spec[k].hint)}
          onInput={(v) => props.onInput(k, v)}
        />
      ))}
    </div>
  );
}

/** A list's heading, its "New" button and its one-line introduction. */
export function ListHead(props: { title: ConsoleKey; intro: ConsoleKey; newHref?: string; id?: string }) {
  const { t } = useI18n();
  return (
    <>
      <div class="kb-head">
        <h2 id={props.id}>{t(props.title)}</h2>
        {props.newHref && (
          <a class="btn primary" href={props.newHref}>
            {t('setNew')}
          </a>
        )}
      </div>
      <p class="muted small">{t(props.intro)}</p>
    </>
  );
}

/** The "← Back to the list" link of an editor. */
export function BackLink(props: { href: string }) {
  const { t } = useI18n();
  return (
    <a class="btn ghost" href={props.href}>
      ← {t('setBack')}
    </a>
  );
}

/** The submit row of an editor. */
export function SaveButton(props: { busy: boolean; label?: string }) {
  const { t } = useI18n();
  return (
    <div class="kb-actions">
      <button type="submit" class="btn primary" disabled={props.busy}>
        {props.busy ? t('saving') : (props.label ?? t('save'))}
      </button>
    </div>
  );
}

export function calendarName(id: string, t: Translate): string {
  return id === 'shop' ? t('calShop') : id === '24x7' ? t('cal24x7') : id;
}

export function tierName(tierId: string, tiers: readonly Tier[], locale: string): string {
  const tier = tiers.find((x) => x.tierId === tierId);
  return tier ? pickText(tier.name, locale) : tierId;
}

/** Supervisors and admins among the staff (escalation targets, team leads). */
export function supervisorsOf(staff: readonly StaffMember[]): StaffMember[] {
  return staff.filter((s) => s.roles.some((r) => r === 'supervisor' || r === 'admin'));
}

export const staffName = (s: Pick<StaffMember, 'name' | 'email'>) => s.name || s.email;
