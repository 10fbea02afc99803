/** The form that logs a phone call or an email as a ticket. */
import { useState } from 'preact/hooks';
import { type FieldError, fieldErrors } from '../../lib/http.ts';
import type { Ticket } from '../../lib/types.ts';
import '../i18n-ticket-screens.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import type { TicketView } from '../inbox-state.ts';
import { errorMessage, fieldHelpers, pickText, SelectField } from '../kit/index.ts';
import { categoryLabel, channelLabel, priorityLabel } from '../labels.ts';
import { CATEGORIES, emptyTicketForm, messagesFor, type NewTicketForm, newTicketBody, PRIORITIES, ticketFormProblems, unclaimed } from '../tickets-state.ts';
import { type TicketStore, useTickets } from '../tickets-store.ts';

/** Logs a phone call or an email as a ticket: classified, routed, assigned and SLA-timed by the server. */
export function NewTicket(props: { store: TicketStore; view: TicketView }) {
  const { t, locale } = useI18n();
  useTickets(props.store);
  const [form, setForm] = useState<NewTicketForm>(emptyTicketForm);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const set = <K extends keyof NewTicketForm>(key: K, value: NewTicketForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = ticketFormProblems(form);
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    setErrors([]);
    setFailure(undefined);
    try {
      const result = await props.store.api.call<{ ticket: Ticket }>('/tickets', newTicketBody(form));
      props.store.update(result.ticket);
      location.hash = `#/tickets/${props.view}/${encodeURIComponent(result.ticket.ticketId)}`;
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(t('ticketSaveFailed', { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  };

  const messages = (path: string, local?: ConsoleKey) => [...(local && problems.includes(path) ? [t(local)] : []), ...messagesFor(errors, path)];
  const described = (path: string, local?: ConsoleKey) =>
    messages(path, local).length ? { 'aria-invalid': true as const, 'aria-describedby': `nt-${path}-error` } : {};
  const errorLine = (path: string, local?: ConsoleKey) => {
    const list = messages(path, local);
    return list.length ? (
      <span id={`nt-${path}-error`} class="field-error">
        {list.join(' ')}
      </span>
    ) : null;
  };
  const server = fieldHelpers(errors, 'nt');
  const other = unclaimed(errors, ['channel', 'subject', 'text', 'requester', 'priority', 'category', 'team']);

  return (
    <section class="kb pad" aria-labelledby="new-ticket-heading">
      <a class="btn ghost" href={`#/tickets/${props.view}`}>
        ← {t('backToTickets')}
      </a>
      <h1 id="new-ticket-heading">{t('ticketNewTitle')}</h1>
      <p class="muted">{t('ticketNewIntro')}</p>
      {failure && (
        <p class="error" role="alert">
          {failure} {other.join(' ')}
        </p>
      )}
      <form class="kb-form" onSubmit={submit} noValidate>
        <fieldset class="field">
          <legend class="label">{t('channel')}</legend>
          <div class="radio-row">
            {(['phone', 'email'] as const).map((c) => (
              <label key={c}>
                <input type="radio" name="nt-channel" value={c} checked={form.channel === c} onChange={() => set('channel', c)} /> {channelLabel(c, t)}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="kb-fields">
          <div class="field">
            <label for="nt-name">{t('requesterName')}</label>
            <input
              id="nt-name"
              value={form.name}
              autocomplete="off"
              {...described('requester', 'requesterRequired')}
              onInput={(e) => set('name', e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="nt-email">{t('email')}</label>
            <input
              id="nt-email"
              type="email"
              value={form.email}
              autocomplete="off"
              {...described('requester', 'requesterRequired')}
              onInput={(e) => set('email', e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="nt-phone">{t('phone')}</label>
            <input
              id="nt-phone"
              type="tel"
              value={form.phone}
              autocomplete="off"
              {...described('requester', 'requesterRequired')}
              onInput={(e) => set('phone', e.currentTarget.value)}
            />
          </div>
        </div>
        {errorLine('requester', 'requesterRequired')}
        <div class="field">
          <label for="nt-subject">{t('subject')}</label>
          <input
            id="nt-subject"
            value={form.subject}
            maxLength={200}
            {...described('subject', 'subjectRequired')}
            onInput={(e) => set('subject', e.currentTarget.value)}
          />
          {errorLine('subject', 'subjectRequired')}
        </div>
        <div class="field">
          <label for="nt-text">{t('ticketText')}</label>
          <textarea
            id="nt-text"
            rows={6}
            value={form.text}
            maxLength={4000}
            {...described('text', 'textRequired')}
            onInput={(e) => set('text', e.currentTarget.value)}
          />
          {errorLine('text', 'textRequired')}
        </div>
        <div class="kb-fields">
          <SelectField
            id="nt-priority"
            label={t('priority')}
            value={form.priority}
            errors={server}
            path="priority"
            blank={t('automatic')}
            options={PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p, t) }))}
            onChange={(v) => set('priority', v as NewTicketForm['priority'])}
          />
          <SelectField
            id="nt-category"
            label={t('category')}
            value={form.category}
            errors={server}
            path="category"
            blank={t('automatic')}
            options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c, t) }))}
            onChange={(v) => set('category', v)}
          />
          <SelectField
            id="nt-team"
            label={t('team')}
            value={form.team}
            errors={server}
            path="team"
            blank={t('automaticRouting')}
            options={(props.store.config?.teams ?? []).map((x) => ({ value: x.teamId, label: pickText(x.name, locale) }))}
            onChange={(v) => set('team', v)}
          />
        </div>
        <div class="kb-actions">
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('saving') : t('ticketCreate')}
          </button>
        </div>
      </form>
    </section>
  );
}
