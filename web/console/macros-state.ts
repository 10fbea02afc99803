/**
 * Pure logic of macros (快捷短语) in the console: the editor's form and request body, the picker's
 * search, the `/keyword` trigger in the reply box, placeholder filling (the server's own
 * shared/tickets/macro-text.ts) and the ticket change a macro implies (as the server's `macroChange`).
 */

import { type MacroLang, PLACEHOLDERS, type Placeholder, readerLang, renderMacro, unknownPlaceholders } from '../../shared/tickets/macro-text.ts';
import type { Macro, MacroActions, MacroBody } from '../../shared/tickets/macros.ts';
import type { Ticket, TicketStatus } from '../lib/types.ts';
import { parseTagList } from './tickets-state.ts';

export type { Macro, MacroActions, MacroLang, Placeholder };

/** The placeholders a macro may use: the server's own list and filling (one module, no copy). */
export const MACRO_PLACEHOLDERS: readonly Placeholder[] = PLACEHOLDERS;
export { readerLang, renderMacro as renderMacroText, unknownPlaceholders };

/** Statuses a macro may set (the server's `MacroActions.status`). */
export const MACRO_STATUSES = ['open', 'pending', 'on_hold', 'solved'] as const satisfies readonly TicketStatus[];

/**
 * The customer's language for a chat without a known locale: the script of their latest messages
 * (any Han character → Chinese), else the fallback.
 */
export function guessLang(customerTexts: readonly string[], fallback: MacroLang): MacroLang {
  for (let i = customerTexts.length - 1; i >= 0; i--) {
    const text = customerTexts[i]!;
    if (/\p{Script=Han}/u.test(text)) return 'zh-CN';
    if (/[A-Za-z]{2,}/.test(text)) return 'en';
  }
  return fallback;
}

/** Picker search: every word must appear in a name or text (either language); name matches first, then by name. */
export function filterMacros(macros: readonly Macro[], query: string, locale: string): Macro[] {
  const words = query.normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean);
  const name = (m: Macro) => (locale === 'zh-CN' ? m.name['zh-CN'] : m.name.en);
  const scored = macros
    .map((m) => {
      const names = `${m.name['zh-CN']} ${m.name.en}`.toLowerCase();
      const all = `${names} ${m.text['zh-CN']} ${m.text.en}`.toLowerCase();
      if (!words.every((w) => all.includes(w))) return undefined;
      const score =
        words.length === 0
          ? 0
          : words.every((w) => names.includes(w))
            ? names.startsWith(words[0]!) || name(m).toLowerCase().startsWith(words[0]!)
              ? 0
              : 1
            : 2;
      return { m, score };
    })
    .filter((x): x is { m: Macro; score: number } => !!x);
  return scored.sort((a, b) => a.score - b.score || name(a.m).localeCompare(name(b.m), locale)).map((x) => x.m);
}

/**
 * A `/keyword` being typed at the caret: a slash at the start or after a space, then no space up to
 * the caret. A Chinese input method in Chinese punctuation mode turns the `/` key into `、` (or a
 * full-width `／`): those open the list too. Returns where the slash is and the keyword so far.
 */
export function slashTrigger(text: string, caret: number): { start: number; query: string } | undefined {
  const before = text.slice(0, caret);
  const match = /(^|\s)[/／、]([^\s/／、]*)$/u.exec(before);
  if (!match) return undefined;
  return { start: before.length - match[2]!.length - 1, query: match[2]! };
}

/** Replaces `[start, end)` of a text with an inserted text; returns the new text and the caret after the insertion. */
export function insertAt(text: string, start: number, end: number, inserted: string): { text: string; caret: number } {
  const head = text.slice(0, start);
  const tail = text.slice(end);
  const spaced = head && !/\s$/.test(head) ? ' ' : '';
  return { text: head + spaced + inserted + tail, caret: head.length + spaced.length + inserted.length };
}

/** The ticket change a macro implies (as the server's `macroChange`); undefined fields are left alone. */
export function macroChange(
  actions: MacroActions,
  ticket: Pick<Ticket, 'tags' | 'status'>,
  me: string,
): { status?: TicketStatus; tags?: string[]; assignee?: string | null } {
  const out: { status?: TicketStatus; tags?: string[]; assignee?: string | null } = {};
  if (actions.status && actions.status !== ticket.status) out.status = actions.status;
  if (actions.addTags?.length || actions.removeTags?.length) {
    const remove = new Set(actions.removeTags ?? []);
    const tags = [...new Set([...ticket.tags.filter((t) => !remove.has(t)), ...(actions.addTags ?? [])])].slice(0, 20);
    if (JSON.stringify(tags) !== JSON.stringify(ticket.tags)) out.tags = tags;
  }
  if (actions.assignee) out.assignee = actions.assignee === 'me' ? me : actions.assignee === 'none' ? null : actions.assignee;
  return out;
}

/** Whether a macro does more than reply (status, tags or assignment). */
export function hasActions(actions: MacroActions | undefined): boolean {
  return !!actions && (!!actions.status || !!actions.addTags?.length || !!actions.removeTags?.length || !!actions.assignee);
}

/** What the macro editor holds (strings as typed; tags comma separated). */
export interface MacroForm {
  scope: 'shared' | 'personal';
  nameZh: string;
  nameEn: string;
  textZh: string;
  textEn: string;
  status: '' | (typeof MACRO_STATUSES)[number];
  addTags: string;
  removeTags: string;
  /** '' = leave, `me`, `none` or a staff subject. */
  assignee: string;
}

export function emptyMacro(scope: MacroForm['scope']): MacroForm {
  return { scope, nameZh: '', nameEn: '', textZh: '', textEn: '', status: '', addTags: '', removeTags: '', assignee: '' };
}

export function macroForm(macro: Macro): MacroForm {
  const a = macro.actions ?? {};
  return {
    scope: macro.scope,
    nameZh: macro.name['zh-CN'],
    nameEn: macro.name.en,
    textZh: macro.text['zh-CN'],
    textEn: macro.text.en,
    status: a.status ?? '',
    addTags: (a.addTags ?? []).join(', '),
    removeTags: (a.removeTags ?? []).join(', '),
    assignee: a.assignee ?? '',
  };
}

/** The body of `POST /macros` or `PUT /macros/{id}` (with the version read when replacing). */
export function macroBody(form: MacroForm, version?: number): MacroBody {
  const actions: MacroActions = {};
  if (form.status) actions.status = form.status;
  const add = parseTagList(form.addTags);
  const remove = parseTagList(form.removeTags);
  if (add.length) actions.addTags = add;
  if (remove.length) actions.removeTags = remove;
  if (form.assignee) actions.assignee = form.assignee;
  return {
    scope: form.scope,
    name: { 'zh-CN': form.nameZh.trim(), en: form.nameEn.trim() },
    text: { 'zh-CN': form.textZh.trim(), en: form.textEn.trim() },
    actions,
    ...(version !== undefined ? { version } : {}),
  };
}

/** Whether the caller may edit a macro: their own personal ones; shared ones only as supervisor or admin. */
export function mayEditMacro(macro: Pick<Macro, 'scope' | 'owner'>, me: string, roles: readonly string[]): boolean {
  return macro.scope === 'personal' ? macro.owner === me : roles.includes('supervisor') || roles.includes('admin');
}
