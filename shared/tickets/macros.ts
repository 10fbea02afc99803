/**
 * Macros (canned replies): a bilingual reply text with placeholders plus ticket actions (status,
 * tags, assignment). Shared macros are kept by supervisors and admins; personal ones belong to one
 * agent. Pure: schemas, placeholder rendering and the ticket change a macro implies.
 */
import * as z from 'zod/mini';
import { PLACEHOLDERS, unknownPlaceholders } from './macro-text.ts';
import { StatusSchema, type Ticket, type TicketStatus } from './model.ts';
import type { Bilingual } from './texts.ts';

export { type MacroLang, PLACEHOLDERS, type Placeholder, readerLang, renderMacro, unknownPlaceholders } from './macro-text.ts';

const Tag = z.string().check(z.trim(), z.toLowerCase(), z.regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'tags are 1–40 letters, digits, _ or -'));
const MacroText = z.string().check(
  z.trim(),
  z.minLength(1, 'text must not be empty'),
  z.maxLength(4000),
  z.refine((t) => unknownPlaceholders(t).length === 0, { message: `unknown placeholder; use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` }),
);
const Label = z.string().check(z.trim(), z.minLength(1), z.maxLength(80));

/** What a macro changes on the ticket besides replying. */
export const MacroActions = z.strictObject({
  status: z.optional(z.enum(['open', 'pending', 'on_hold', 'solved'])),
  addTags: z.optional(z.array(Tag).check(z.maxLength(10))),
  removeTags: z.optional(z.array(Tag).check(z.maxLength(10))),
  /** `me` (whoever applies it), `none` (back to the team queue), or a staff subject. */
  assignee: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});
export type MacroActions = z.infer<typeof MacroActions>;

/** Create/replace body of a macro (strict; server-owned fields never accepted). */
export const MacroBody = z.strictObject({
  scope: z.enum(['shared', 'personal']),
  name: z.strictObject({ 'zh-CN': Label, en: Label }),
  text: z.strictObject({ 'zh-CN': MacroText, en: MacroText }),
  actions: z._default(MacroActions, {}),
  /** Required when replacing a macro: the version read. */
  version: z.optional(z.int().check(z.gte(1))),
});
export type MacroBody = z.infer<typeof MacroBody>;

/** Path of the macro routes (`POST /macros` has no id). */
export const MacroParams = z.strictObject({ macroId: z.optional(z.string().check(z.regex(/^mac_[0-9a-z]{26}$/, 'not a macro id'))) });

/** Path of the apply route. */
export const ApplyParams = z.strictObject({
  ticketId: z.string().check(z.regex(/^tkt_[0-9a-z]{26}$/, 'not a ticket id')),
  macroId: z.string().check(z.regex(/^mac_[0-9a-z]{26}$/, 'not a macro id')),
});
/** The ticket version the agent read (stale → 409). */
export const ApplyBody = z.strictObject({ version: z.int().check(z.gte(1)) });

/** A stored macro. */
export interface Macro {
  macroId: string;
  scope: 'shared' | 'personal';
  /** `shared`, or the subject of the agent a personal macro belongs to. */
  owner: string;
  name: Bilingual;
  text: Bilingual;
  actions: MacroActions;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

/** The ticket change a macro applies (undefined fields are left alone). */
export function macroChange(
  macro: Pick<Macro, 'actions'>,
  ticket: Pick<Ticket, 'tags' | 'status'>,
  callerSub: string,
): { status?: TicketStatus; tags?: string[]; assignee?: string | null } {
  const a = macro.actions;
  const out: { status?: TicketStatus; tags?: string[]; assignee?: string | null } = {};
  if (a.status && StatusSchema.safeParse(a.status).success && a.status !== ticket.status) out.status = a.status;
  if (a.addTags?.length || a.removeTags?.length) {
    const remove = new Set(a.removeTags ?? []);
    const tags = [...new Set([...ticket.tags.filter((t) => !remove.has(t)), ...(a.addTags ?? [])])].slice(0, 20);
    if (JSON.stringify(tags) !== JSON.stringify(ticket.tags)) out.tags = tags;
  }
  if (a.assignee) out.assignee = a.assignee === 'me' ? callerSub : a.assignee === 'none' ? null : a.assignee;
  return out;
}
