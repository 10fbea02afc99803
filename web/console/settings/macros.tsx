/** Settings › macros (快捷短语): list, create, edit and delete shared and personal macros. */
import { useRef, useState } from 'preact/hooks';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, type Translate, useI18n } from '../i18n.ts';
import '../i18n-logistics.ts';
import type { StaffMember } from '../inbox-store.ts';
import {
  Async,
  carryNotice,
  DataTable,
  failureNotice,
  fieldHelpers,
  type Notice,
  NoticeLine,
  pickText,
  SelectField,
  TextField,
  takeNotice,
  useCaretAfterRender,
  useResource,
} from '../kit/index.ts';
import { macroActionsText, ticketStatusLabel } from '../labels.ts';
import { forgetMacros } from '../macro-cache.ts';
import {
  emptyMacro,
  filterMacros,
  MACRO_PLACEHOLDERS,
  MACRO_STATUSES,
  type Macro,
  type MacroForm,
  macroBody,
  macroForm,
  mayEditMacro,
  type Placeholder,
  unknownPlaceholders,
} from '../macros-state.ts';
import { unclaimed } from '../tickets-state.ts';
import { BackLink, staffName } from './common.tsx';

const nameOf = (staff: readonly StaffMember[], sub: string) => {
  const s = staff.find((x) => x.sub === sub);
  return s ? staffName(s) : sub;
};

const LIST = '#/settings/macros';
const PH_LABEL: Record<Placeholder, ConsoleKey> = {
  'customer.name': 'phCustomerName',
  'order.id': 'phOrderId',
  'ticket.id': 'phTicketId',
  'shipment.latest': 'lgsPhShipment',
};

/** A macro text with its placeholders named in the reader's language ("[customer name]"). */
function readable(text: string, t: Translate): string {
  return text.replace(/\{\{\s*([a-z.]+)\s*\}\}/g, (all, name: string) => (name in PH_LABEL ? t('mcPhToken', { name: t(PH_LABEL[name as Placeholder]) }) : all));
}

const isLead = (roles: readonly string[]) => roles.includes('supervisor') || roles.includes('admin');

export function MacroList(props: { api: StaffApi; me: string; roles: readonly string[]; staff: readonly StaffMember[] }) {
  const { t, locale } = useI18n();
  const macros = useResource(() => props.api.call<{ macros: Macro[] }>('/macros').then((r) => r.macros), [props.api]);
  const [filter, setFilter] = useState('');
  const [notice] = useState<Notice | undefined>(() => takeNotice('macros'));

  return (
    <>
      <div class="kb-head">
        <h2 id="macros-heading">{t('setMacros')}</h2>
        <a class="btn primary" href={`${LIST}/new`}>
          {t('mcNew')}
        </a>
      </div>
      <p class="muted small">{t('mcIntro')}</p>
      <NoticeLine notice={notice} />
      <div class="kb-filters">
        <label class="grow">
          <span class="sr-only">{t('mcFilter')}</span>
          <input type="search" placeholder={t('mcFilter')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
      </div>
      <Async resource={macros} isEmpty={(list) => list.length === 0} empty={t('mcEmpty')}>
        {(list) => (
          <DataTable<Macro>
            rows={filterMacros(list, filter, locale)}
            rowKey={(m) => m.macroId}
            caption={t('setMacros')}
            empty={t('mcNoMatch')}
            rowProps={(m) => ({ 'data-macro': m.macroId })}
            columns={[
              {
                key: 'name',
                header: t('setName'),
                rowHeader: true,
                cell: (m) => (
                  <>
                    <a href={`${LIST}/${encodeURIComponent(m.macroId)}`}>{pickText(m.name, locale)}</a>{' '}
                    <span class={`badge ${m.scope === 'shared' ? 'ok' : 'muted'}`}>{m.scope === 'shared' ? t('macroShared') : t('macroPersonal')}</span>
                  </>
                ),
              },
              { key: 'text', header: t('mcText'), class: 'macro-text-cell', cell: (m) => readable(pickText(m.text, locale), t) },
              {
                key: 'actions',
                header: t('mcActionsCol'),
                cell: (m) => macroActionsText(m.actions, t, (sub) => nameOf(props.staff, sub)) || <span class="muted">{t('mcNone')}</span>,
              },
            ]}
          />
        )}
      </Async>
    </>
  );
}

/** The editor of one macro (`new` for a new one); the macro is read from the list route. */
export function MacroEditor(props: { api: StaffApi; macroId: string; me: string; roles: readonly string[]; staff: StaffMember[] }) {
  const { t } = useI18n();
  const creating = props.macroId === 'new';
  const macros = useResource(
    () => (creating ? Promise.resolve([] as Macro[]) : props.api.call<{ macros: Macro[] }>('/macros').then((r) => r.macros)),
    [props.api, props.macroId],
  );
  // the outcome of the last save survives the form's remount on the saved (or newer) version
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`macro:${props.macroId}`));
  const reloadWith = async (next: Notice) => {
    setNotice(next);
    await macros.reload();
  };
  return (
    <Async resource={macros}>
      {(list) => {
        const macro = list.find((m) => m.macroId === props.macroId);
        if (!creating && !macro)
          return (
            <>
              <BackLink href={LIST} />
              <p class="error" role="alert">
                {t('mcGone')}
              </p>
            </>
          );
        return <MacroForm key={macro ? `${macro.macroId}@${macro.version}` : 'new'} {...props} macro={macro} initialNotice={notice} onReload={reloadWith} />;
      }}
    </Async>
  );
}

function MacroForm(props: {
  api: StaffApi;
  macro: Macro | undefined;
  me: string;
  roles: readonly string[];
  staff: StaffMember[];
  initialNotice: Notice | undefined;
  onReload: (notice: Notice) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const { macro } = props;
  const lead = isLead(props.roles);
  const editable = !macro || mayEditMacro(macro, props.me, props.roles);
  const [form, setForm] = useState<MacroForm>(() => (macro ? macroForm(macro) : emptyMacro(lead ? 'shared' : 'personal')));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(props.initialNotice);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const zhRef = useRef<HTMLTextAreaElement | HTMLInputElement>(null);
  const enRef = useRef<HTMLTextAreaElement | HTMLInputElement>(null);
  const caretZh = useCaretAfterRender(zhRef);
  const caretEn = useCaretAfterRender(enRef);
  const f = fieldHelpers(errors, 'mc');
  const set = <K extends keyof MacroForm>(key: K, value: MacroForm[K]) => setForm((x) => ({ ...x, [key]: value }));

  /** Required fields and unknown placeholders, refused before any request (the server checks again). */
  const localErrors = (): FieldError[] => {
    const out: FieldError[] = [];
    const required: [keyof MacroForm, string][] = [
      ['nameZh', 'name.zh-CN'],
      ['nameEn', 'name.en'],
      ['textZh', 'text.zh-CN'],
      ['textEn', 'text.en'],
    ];
    for (const [key, path] of required) if (!String(form[key]).trim()) out.push({ path, message: t('mcRequired') });
    for (const [key, path] of [
      ['textZh', 'text.zh-CN'],
      ['textEn', 'text.en'],
    ] as const) {
      const unknown = unknownPlaceholders(form[key]);
      if (unknown.length)
        out.push({
          path,
          message: t('mcUnknownPh', { names: unknown.map((p) => `{{${p}}}`).join(', '), known: MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ') }),
        });
    }
    return out;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const local = localErrors();
    if (local.length) {
      setErrors(local);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      if (macro) {
        const result = await props.api.put<{ macro: Macro }>(`/macros/${encodeURIComponent(macro.macroId)}`, macroBody(form, macro.version));
        forgetMacros();
        await props.onReload({ kind: 'ok', text: t('mcSaved', { version: result.macro.version }) });
      } else {
        const result = await props.api.call<{ macro: Macro }>('/macros', macroBody(form));
        forgetMacros();
        carryNotice(`macro:${result.macro.macroId}`, { kind: 'ok', text: t('mcCreated') });
        location.replace(`${LIST}/${encodeURIComponent(result.macro.macroId)}`);
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await props.onReload({ kind: 'conflict', text: t('mcConflict') });
        return;
      }
      setErrors(fieldErrors(err));
      setNotice(err instanceof ApiError && err.status === 404 ? { kind: 'error', text: t('mcGone') } : failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!macro) return;
    setBusy(true);
    try {
      await props.api.delete(`/macros/${encodeURIComponent(macro.macroId)}`);
      forgetMacros();
      carryNotice('macros', { kind: 'ok', text: t('mcDeleted', { name: pickText(macro.name, locale) }) });
      location.hash = LIST;
    } catch (err) {
      setConfirming(false);
      setNotice(err instanceof ApiError && err.status === 404 ? { kind: 'error', text: t('mcGone') } : failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  const insert = (ref: typeof zhRef, key: 'textZh' | 'textEn', placeholder: Placeholder) => {
    const el = ref.current;
    const token = `{{${placeholder}}}`;
    const value = form[key];
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    set(key, value.slice(0, start) + token + value.slice(end));
    (ref === zhRef ? caretZh : caretEn)(start + token.length);
  };

  const phButtons = (ref: typeof zhRef, key: 'textZh' | 'textEn', lang: ConsoleKey) =>
    editable && (
      <div class="ph-row" role="group" aria-label={t('mcTextHint')}>
        {MACRO_PLACEHOLDERS.map((p) => (
          <button key={p} type="button" class="btn small" onClick={() => insert(ref, key, p)}>
            <span aria-hidden="true">+ </span>
            {t(PH_LABEL[p])}
            <span class="sr-only">{t('mcInsertPh', { placeholder: `{{${p}}}`, lang: t(lang) })}</span>
          </button>
        ))}
      </div>
    );

  const agents = props.staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
  const other = unclaimed(errors, ['scope', 'name', 'text', 'actions', 'version']);
  const title = macro ? t('mcEdit', { name: pickText(macro.name, locale) }) : t('mcNew');

  return (
    <form class="kb-form macro-form" onSubmit={save} noValidate aria-labelledby="macro-heading">
      <BackLink href={LIST} />
      <h2 id="macro-heading">{title}</h2>
      {!editable && <p class="notice">{t('mcReadOnly')}</p>}
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <fieldset class="field" disabled={!editable}>
        <legend class="label">{t('mcScope')}</legend>
        <div class="radio-row">
          <label>
            <input type="radio" name="mc-scope" checked={form.scope === 'shared'} disabled={!lead || !!macro} onChange={() => set('scope', 'shared')} />{' '}
            {t('mcShared')}
          </label>
          <label>
            <input type="radio" name="mc-scope" checked={form.scope === 'personal'} disabled={!!macro} onChange={() => set('scope', 'personal')} />{' '}
            {t('mcPersonal')}
          </label>
        </div>
        {!lead && <p class="muted small">{t('mcSharedOnlyLeads')}</p>}
        {f.errorOf('scope')}
      </fieldset>
      <div class="kb-fields two">
        <TextField
          id="mc-name-zh"
          label={t('mcNameZh')}
          lang="zh-CN"
          maxLength={80}
          readOnly={!editable}
          value={form.nameZh}
          errors={f}
          path="name.zh-CN"
          onInput={(v) => set('nameZh', v)}
        />
        <TextField
          id="mc-name-en"
          label={t('mcNameEn')}
          lang="en"
          maxLength={80}
          readOnly={!editable}
          value={form.nameEn}
          errors={f}
          path="name.en"
          onInput={(v) => set('nameEn', v)}
        />
      </div>
      <p class="muted small" id="mc-ph-hint">
        {t('mcTextHint')}{' '}
        {MACRO_PLACEHOLDERS.map((p, i) => (
          <span key={p}>
            {i > 0 && ' · '}
            <code>{`{{${p}}}`}</code> {t(PH_LABEL[p])}
          </span>
        ))}
      </p>
      <div class="kb-fields two macro-texts">
        <div>
          <TextField
            id="mc-text-zh"
            label={t('mcTextZh')}
            lang="zh-CN"
            rows={5}
            maxLength={4000}
            readOnly={!editable}
            inputRef={zhRef}
            value={form.textZh}
            errors={f}
            path="text.zh-CN"
            onInput={(v) => set('textZh', v)}
          />
          {phButtons(zhRef, 'textZh', 'kbLangZh')}
        </div>
        <div>
          <TextField
            id="mc-text-en"
            label={t('mcTextEn')}
            lang="en"
            rows={5}
            maxLength={4000}
            readOnly={!editable}
            inputRef={enRef}
            value={form.textEn}
            errors={f}
            path="text.en"
            onInput={(v) => set('textEn', v)}
          />
          {phButtons(enRef, 'textEn', 'kbLangEn')}
        </div>
      </div>
      <fieldset class="field" disabled={!editable}>
        <legend class="label">{t('mcActions')}</legend>
        <p class="muted small">{t('mcActionsHint')}</p>
        <div class="kb-fields">
          <SelectField
            id="mc-status"
            label={t('mcStatus')}
            value={form.status}
            blank={t('mcKeep')}
            errors={f}
            path="actions.status"
            options={MACRO_STATUSES.map((s) => ({ value: s, label: ticketStatusLabel(s, t) }))}
            onChange={(v) => set('status', v as MacroForm['status'])}
          />
          <SelectField
            id="mc-assignee"
            label={t('mcAssignee')}
            value={form.assignee}
            blank={t('mcKeep')}
            errors={f}
            path="actions.assignee"
            options={[
              { value: 'me', label: t('mcAssignMe') },
              { value: 'none', label: t('mcAssignNone') },
              ...agents.map((s) => ({ value: s.sub, label: staffName(s) })),
            ]}
            onChange={(v) => set('assignee', v)}
          />
          <TextField
            id="mc-add-tags"
            label={t('mcAddTags')}
            value={form.addTags}
            errors={f}
            path="actions.addTags"
            hint={t('tagsHint')}
            onInput={(v) => set('addTags', v)}
          />
          <TextField
            id="mc-remove-tags"
            label={t('mcRemoveTags')}
            value={form.removeTags}
            errors={f}
            path="actions.removeTags"
            onInput={(v) => set('removeTags', v)}
          />
        </div>
      </fieldset>
      {editable && (
        <div class="kb-actions">
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('saving') : t('save')}
          </button>
          {macro &&
            (confirming ? (
              <span class="confirm" role="group" aria-label={t('mcDeleteConfirm', { name: pickText(macro.name, locale) })}>
                <span>{t('mcDeleteConfirm', { name: pickText(macro.name, locale) })}</span>{' '}
                <button type="button" class="btn danger" disabled={busy} onClick={() => void remove()}>
                  {t('mcDeleteYes')}
                </button>{' '}
                <button type="button" class="btn" onClick={() => setConfirming(false)}>
                  {t('mcDeleteNo')}
                </button>
              </span>
            ) : (
              <button type="button" class="btn" onClick={() => setConfirming(true)}>
                {t('mcDelete')}
              </button>
            ))}
        </div>
      )}
    </form>
  );
}
