/**
 * The reply box of a conversation: reply or internal note, attachments, and macros (快捷短语).
 * Typing `/` (at the start or after a space; `、` or `／` from a Chinese input method too) and a
 * keyword opens the macro list above the box; ↑ ↓ choose, Enter (or a click) inserts the macro in the customer's language with its
 * placeholders filled, Esc closes. Nothing acts on a key while an input method is composing
 * (Chinese pinyin uses Enter and the arrows itself). The "Macros" button opens the same list with
 * a search field. On a conversation with a ticket, the chosen macro's status/tag/assignee changes
 * go with the reply (ConversationView sends through `ticket-macro-apply`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ATTACHMENT_ACCEPT } from '../lib/attachments.ts';
import type { StaffApi } from './auth.ts';
import { type ConsoleKey, useI18n } from './i18n.ts';
import { errorMessage, pickText, useCaretAfterRender } from './kit/index.ts';
import { macroActionsText } from './labels.ts';
import { loadMacros } from './macro-cache.ts';
import { filterMacros, hasActions, insertAt, type Macro, type MacroLang, type Placeholder, renderMacroText, slashTrigger } from './macros-state.ts';

/** What a reply box knows about the customer for macros. */
export interface MacroContext {
  /** Placeholder values (the order id is read on demand). */
  values: () => Promise<Partial<Record<Placeholder, string>>>;
  /** The customer's language. */
  lang: MacroLang;
  /** The conversation's ticket: macros then also change the ticket. */
  ticketId: string | undefined;
}

/** A macro inserted into the reply box, with the exact text inserted. */
export interface ChosenMacro {
  macro: Macro;
  lang: MacroLang;
  text: string;
}

const PH_LABEL: Record<Placeholder, ConsoleKey> = {
  'customer.name': 'phCustomerName',
  'order.id': 'phOrderId',
  'ticket.id': 'phTicketId',
  'shipment.latest': 'lgsPhShipment',
};

type Picker = { mode: 'slash'; start: number } | { mode: 'button'; selection: [number, number] };

let pickerSeq = 0;

export function ReplyBox(props: {
  api: StaffApi;
  macroContext: () => MacroContext;
  nameOf: (sub: string) => string;
  onSend: (text: string, internal: boolean, chosen?: ChosenMacro) => void;
  onTyping: () => void;
  onFile: (file: File) => void;
  note?: string;
}) {
  const { t, locale } = useI18n();
  const fileRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const placeCaret = useCaretAfterRender(textRef);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const uid = useRef(`macros-${++pickerSeq}`).current;
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [picker, setPicker] = useState<Picker>();
  const [search, setSearch] = useState('');
  const [active, setActive] = useState(0);
  const [macros, setMacros] = useState<Macro[]>();
  const [loadError, setLoadError] = useState<string>();
  const [values, setValues] = useState<Partial<Record<Placeholder, string>>>({});
  const [lang, setLang] = useState<MacroLang>('zh-CN');
  const [chosen, setChosen] = useState<ChosenMacro>();
  const [missing, setMissing] = useState<string>();
  /** Where a `/` was dismissed with Esc: the list stays closed for that slash. */
  const dismissed = useRef<number | undefined>(undefined);
  const context = useRef<MacroContext | undefined>(undefined);

  /** The keyword after `/` as of the last input outside an input method's composition (pinyin does not filter). */
  const [slashQuery, setSlashQuery] = useState('');
  const query = picker?.mode === 'slash' ? slashQuery : search;
  const list = macros ? filterMacros(macros, query, locale) : [];
  const current = list[Math.min(active, list.length - 1)];

  const open = (next: Picker) => {
    if (!picker) {
      const ctx = props.macroContext();
      context.current = ctx;
      setLang(ctx.lang);
      setValues({});
      setLoadError(undefined);
      loadMacros(props.api).then(setMacros, (err: unknown) => setLoadError(errorMessage(err)));
      ctx.values().then(setValues, () => undefined);
    }
    setPicker(next);
    setActive(0);
  };
  const close = (focusText = false) => {
    setPicker(undefined);
    setSearch('');
    if (focusText) textRef.current?.focus();
  };

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, picker]);

  useEffect(() => {
    if (picker?.mode === 'button') searchRef.current?.focus();
  }, [picker?.mode]);

  /** Inserts the macro's text (customer's language, placeholders filled) where the list was opened. */
  const choose = async (macro: Macro) => {
    // where to insert is read now (the list closes at once, so a second Enter cannot insert twice)
    const el = textRef.current;
    const at = picker;
    const typed = at?.mode === 'slash' ? slashTrigger(text, el?.selectionStart ?? text.length) : undefined;
    const [start, end] =
      at?.mode === 'slash'
        ? [at.start, at.start + 1 + (typed?.start === at.start ? typed.query.length : slashQuery.length)]
        : at?.mode === 'button'
          ? at.selection
          : [el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length];
    const chosenLang = lang;
    setPicker(undefined);
    setSearch('');
    const known = context.current ? await context.current.values().catch(() => values) : values;
    const rendered = renderMacroText(macro.text[chosenLang], known, chosenLang);
    const current = el?.value ?? text;
    const next = insertAt(current, start, end, rendered.text);
    setText(next.text);
    setChosen(context.current?.ticketId ? { macro, lang: chosenLang, text: rendered.text } : undefined);
    setMissing(rendered.missing.length ? t('macroMissing', { fields: rendered.missing.map((p) => t(PH_LABEL[p])).join('、') }) : undefined);
    placeCaret(next.caret);
  };

  /** Arrow keys, Enter and Esc of an open list; true when the key was the list's. */
  const listKeys = (e: KeyboardEvent): boolean => {
    if (!picker || e.isComposing || e.keyCode === 229) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.length) setActive((i) => (Math.min(i, list.length - 1) + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length);
      return true;
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      if (current) void choose(current);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (picker.mode === 'slash') dismissed.current = picker.start;
      close(true);
      return true;
    }
    return false;
  };

  const onInput = (value: string, caret: number) => {
    setText(value);
    if (!value.trim()) {
      setChosen(undefined);
      setMissing(undefined);
    }
    if (!internal && value.trim()) props.onTyping();
    const trigger = slashTrigger(value, caret);
    if (trigger && trigger.start !== dismissed.current) {
      setSlashQuery(trigger.query);
      if (picker?.mode !== 'slash' || picker.start !== trigger.start) open({ mode: 'slash', start: trigger.start });
      else setActive(0);
    } else {
      if (!trigger) dismissed.current = undefined;
      if (picker?.mode === 'slash') close();
    }
  };

  const submit = (event?: Event) => {
    event?.preventDefault();
    const value = text.trim();
    if (!value) return;
    props.onSend(value, internal, !internal && chosen ? chosen : undefined);
    setText('');
    setChosen(undefined);
    setMissing(undefined);
    close();
  };

  const ticketId = context.current?.ticketId;
  const actionsOf = (m: Macro) => (ticketId && hasActions(m.actions) ? macroActionsText(m.actions, t, props.nameOf) : '');
  const listId = `${uid}-list`;
  const optionId = (m: Macro) => `${uid}-${m.macroId}`;
  const comboProps = picker && current ? { 'aria-controls': listId, 'aria-activedescendant': optionId(current) } : picker ? { 'aria-controls': listId } : {};

  return (
    <form class={`reply${internal ? ' internal' : ''}`} onSubmit={submit}>
      <div class="reply-top">
        <label class="toggle">
          <input type="checkbox" role="switch" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} />
          {t('internalNote')}
        </label>
        {internal && <span class="muted small">{t('internalNoteHint')}</span>}
      </div>
      {picker && (
        <div class="macro-picker" onMouseDown={(e) => e.target !== searchRef.current && e.preventDefault()}>
          <div class="macro-picker-head">
            <strong>{t('macros')}</strong>
            <span class="muted small" role="status">
              {macros ? t('macroCount', { count: list.length }) : ''}
            </span>
            <span class="macro-lang" role="group" aria-label={t('macroLang')}>
              <span class="muted small">{t('macroLang')}</span>
              {(['zh-CN', 'en'] as const).map((l) => (
                <button key={l} type="button" class="btn small" lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
                  {l === 'zh-CN' ? '中文' : 'English'}
                </button>
              ))}
            </span>
          </div>
          {picker.mode === 'button' && (
            <input
              ref={searchRef}
              type="search"
              class="macro-search"
              aria-autocomplete="list"
              aria-label={t('macroSearch')}
              placeholder={t('macroSearchPlaceholder')}
              value={search}
              {...comboProps}
              onInput={(e) => {
                setSearch(e.currentTarget.value);
                setActive(0);
              }}
              onKeyDown={(e) => void listKeys(e)}
            />
          )}
          {loadError && (
            <p class="error small" role="alert">
              {t('loadFailed', { message: loadError })}
            </p>
          )}
          {!macros && !loadError && <p class="muted small">{t('loading')}</p>}
          {macros && list.length === 0 && <p class="muted small">{macros.length === 0 ? t('macroNoneYet') : t('macroNone', { query })}</p>}
          {list.length > 0 && (
            <ul id={listId} ref={listRef} role="listbox" aria-label={t('macros')} class="macro-list">
              {list.map((m, i) => {
                const preview = renderMacroText(m.text[lang], values, lang).text;
                const acts = actionsOf(m);
                return (
                  <li
                    key={m.macroId}
                    id={optionId(m)}
                    role="option"
                    aria-selected={m === current}
                    class="macro-option"
                    data-macro={m.macroId}
                    onMouseEnter={() => setActive(i)}
                    onClick={() => void choose(m)}
                  >
                    <span class="macro-name">
                      {pickText(m.name, locale)}{' '}
                      <span class={`badge ${m.scope === 'shared' ? 'ok' : 'muted'}`}>{m.scope === 'shared' ? t('macroShared') : t('macroPersonal')}</span>
                    </span>
                    <span class="macro-preview" lang={lang}>
                      {preview}
                    </span>
                    {acts && <span class="macro-acts small">{acts}</span>}
                  </li>
                );
              })}
            </ul>
          )}
          <p class="muted small macro-keys" aria-hidden="true">
            {t('macroKeys')}
          </p>
        </div>
      )}
      <label for="reply-text" class="sr-only">
        {internal ? t('noteLabel') : t('replyLabel')}
      </label>
      <textarea
        id="reply-text"
        ref={textRef}
        rows={3}
        value={text}
        placeholder={internal ? t('notePlaceholder') : t('replyPlaceholder')}
        aria-autocomplete="list"
        aria-describedby={missing ? `${uid}-missing` : undefined}
        {...(picker?.mode === 'slash' ? comboProps : {})}
        onInput={(e) => {
          // while an input method composes (pinyin letters), only the text changes; the list follows at compositionend
          if ((e as unknown as InputEvent).isComposing) setText(e.currentTarget.value);
          else onInput(e.currentTarget.value, e.currentTarget.selectionStart);
        }}
        onCompositionEnd={(e) => onInput(e.currentTarget.value, e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (picker?.mode === 'slash' && listKeys(e)) return;
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) submit(e);
        }}
      />
      <div class="reply-actions">
        <button
          type="button"
          class="btn macro-btn"
          aria-label={t('macroInsert')}
          title={t('macroInsert')}
          aria-expanded={picker?.mode === 'button'}
          onClick={() => {
            if (picker?.mode === 'button') return close(true);
            const el = textRef.current;
            open({ mode: 'button', selection: [el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length] });
          }}
        >
          {t('macros')}
        </button>
        {!internal && (
          <>
            <button type="button" class="btn attach" aria-label={t('attach')} title={t('attach')} onClick={() => fileRef.current?.click()}>
              <svg
                viewBox="0 0 24 24"
                width="18"
                height="18"
                aria-hidden="true"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                stroke-linejoin="round"
              >
                <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
              </svg>
            </button>
            <input
              ref={fileRef}
              type="file"
              hidden
              tabIndex={-1}
              accept={ATTACHMENT_ACCEPT}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (file) props.onFile(file);
              }}
            />
          </>
        )}
        <button type="submit" class="btn primary">
          {internal ? t('addNote') : t('send')}
        </button>
      </div>
      {!internal && chosen && hasActions(chosen.macro.actions) && (
        <p class="macro-chosen small" role="status">
          {t('macroWillApply', { name: pickText(chosen.macro.name, locale), actions: macroActionsText(chosen.macro.actions, t, props.nameOf) })}{' '}
          <button type="button" class="link" aria-label={t('macroSkipActionsLabel')} onClick={() => setChosen(undefined)}>
            {t('macroSkipActions')}
          </button>
        </p>
      )}
      {missing && (
        <p id={`${uid}-missing`} class="upload-note small" role="status">
          {missing}
        </p>
      )}
      {props.note && (
        <p class="upload-note small" role="status">
          {props.note}
        </p>
      )}
    </form>
  );
}
