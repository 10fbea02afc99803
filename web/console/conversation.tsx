import { useEffect, useRef, useState } from 'preact/hooks';
import { fileProblem, isImage, linkCache, type UploadGrant, uploadFile } from '../lib/attachments.ts';
import { fetchSince } from '../lib/catch-up.ts';
import { formatTime } from '../lib/format.ts';
import { ApiError, newClientId } from '../lib/http.ts';
import { addPending, lastConfirmed, mergeMessages, setDeliveryState, type ThreadMessage } from '../lib/merge.ts';
import type { AttachmentRef, BotState, Conversation, ConversationStatus, Message, MessagePage, Ticket } from '../lib/types.ts';
import type { StaffApi } from './auth.ts';
import { ChurnBadge } from './customer360/churn-badge.tsx';
import { CustomerPanel } from './customer360.tsx';
import { type ConsoleKey, useI18n } from './i18n.ts';
import { contactLabel, type InboxView } from './inbox-state.ts';
import { type InboxStore, useStore } from './inbox-store.ts';
import { errorMessage, LoadError, Loading, pickText } from './kit/index.ts';
import { macroActionsText, outcomeLabel, priorityLabel, reasonLabel, teamLabel } from './labels.ts';
import { guessLang, hasActions, type MacroLang, macroChange, type Placeholder, readerLang } from './macros-state.ts';
import { type ChosenMacro, type MacroContext, ReplyBox } from './reply-box.tsx';

interface Contact {
  contactId: string;
  name?: string;
  email?: string;
  verified: boolean;
  shopUserId?: string;
  locale?: string;
}

interface Detail {
  conversation: Conversation;
  contact: Contact;
  history: Conversation[];
}

const TYPING_THROTTLE_MS = 3000;
const TYPING_SHOWN_MS = 6000;

const STATUS_LABEL: Record<ConversationStatus, ConsoleKey> = {
  open: 'statusOpen',
  pending: 'statusPending',
  resolved: 'statusResolved',
};

/**
 * One conversation: thread, reply box (reply or internal note), actions and the shopper panel.
 * `embedded` (inside a ticket) keeps the thread and reply box only: the ticket carries status,
 * assignee and the customer.
 */
export function ConversationView(props: { store: InboxStore; conversationId: string; view: InboxView; embedded?: boolean }) {
  const { store, conversationId, view, embedded } = props;
  const { t, locale } = useI18n();
  useStore(store);
  const [detail, setDetail] = useState<Detail>();
  const [thread, setThread] = useState<ThreadMessage[]>([]);
  const [nextBefore, setNextBefore] = useState<string>();
  const [error, setError] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [typing, setTyping] = useState<{ name: string; until: number }>();
  const [converting, setConverting] = useState(false);
  const [visitorReadId, setVisitorReadId] = useState<string>();
  const threadRef = useRef<ThreadMessage[]>([]);
  const listRef = useRef<HTMLOListElement>(null);
  const lastReadSent = useRef<string | undefined>(undefined);
  const lastTypingSent = useRef(0);
  const base = `/conversations/${encodeURIComponent(conversationId)}`;
  const conversation = store.get(conversationId) ?? detail?.conversation;

  const update = (next: ThreadMessage[]) => {
    threadRef.current = next;
    setThread(next);
  };

  const fetchPage = (before: string | undefined) =>
    store.api.call<MessagePage>(before ? `${base}/messages?limit=50&before=${encodeURIComponent(before)}` : `${base}/messages?limit=50`);

  const load = async () => {
    setError(undefined);
    try {
      const [d, page] = await Promise.all([store.api.call<Detail>(base), fetchPage(undefined)]);
      store.update(d.conversation);
      setDetail(d);
      setNextBefore(page.nextBefore);
      update(mergeMessages(threadRef.current, page.items));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  // Only an open conversation's messages and typing reach this socket.
  useEffect(() => store.watch(conversationId), [conversationId]);

  useEffect(() => {
    void load();
    return store.onFrames((frame) => {
      if (frame.type === 'reconnected') {
        void fetchSince(fetchPage, lastConfirmed(threadRef.current)?.messageId).then(
          (missed) => update(mergeMessages(threadRef.current, missed)),
          () => undefined,
        );
        return;
      }
      if (frame.type === 'message' && frame.conversationId === conversationId) {
        update(mergeMessages(threadRef.current, [frame.message]));
        if (frame.message.author.kind === 'visitor') setTyping(undefined);
      } else if (frame.type === 'typing' && frame.conversationId === conversationId && frame.from === 'visitor') {
        setTyping({ name: frame.name || t('visitor'), until: Date.now() + TYPING_SHOWN_MS });
        setTimeout(() => setTyping((current) => (current && current.until <= Date.now() ? undefined : current)), TYPING_SHOWN_MS + 50);
      } else if (frame.type === 'read' && frame.conversationId === conversationId && frame.by === 'visitor') {
        setVisitorReadId(frame.messageId);
      }
    });
  }, [conversationId]);

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
    const last = lastConfirmed(thread);
    if (!last || last.author.kind === 'agent' || last.messageId === lastReadSent.current || document.visibilityState !== 'visible') return;
    lastReadSent.current = last.messageId;
    store.markReadLocally(conversationId);
    store.api.call(`${base}/read`, { messageId: last.messageId }).catch(() => (lastReadSent.current = undefined));
  }, [thread]);

  const loadEarlier = async () => {
    if (!nextBefore) return;
    try {
      const page = await fetchPage(nextBefore);
      setNextBefore(page.nextBefore);
      update(mergeMessages(threadRef.current, page.items));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const links = useRef(linkCache((path) => store.api.call<{ url: string }>(path))).current;
  const [uploadNote, setUploadNote] = useState<string>();
  /** What the last macro did to the ticket (until the next reply). */
  const [macroNote, setMacroNote] = useState<string>();

  /** Agent attachments: checked here, uploaded to a pre-signed URL, then sent as a reply. */
  const sendFile = async (file: File) => {
    const problem = fileProblem(file);
    if (problem) {
      setUploadNote(t(problem, { name: file.name }));
      return;
    }
    setUploadNote(t('uploading', { percent: 0 }));
    try {
      const attachment = await uploadFile(
        (path, body) => store.api.call<UploadGrant>(path, body),
        base,
        file,
        (f) => setUploadNote(t('uploading', { percent: Math.round(f * 100) })),
      );
      setUploadNote(undefined);
      await send('', false, newClientId(), [attachment]);
    } catch {
      setUploadNote(t('uploadFailed', { name: file.name }));
    }
  };

  const send = async (text: string, internal: boolean, clientMessageId = newClientId(), attachments?: AttachmentRef[]) => {
    setMacroNote(undefined);
    setActionError(undefined);
    update(
      addPending(threadRef.current, {
        clientMessageId,
        conversationId,
        text,
        attachments,
        internal,
        author: { kind: 'agent', sub: store.me, name: store.staff.find((s) => s.sub === store.me)?.name },
        createdAt: new Date().toISOString(),
      }),
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const result = await store.api.call<{ message: Message }>(`${base}/messages`, { clientMessageId, text: text || undefined, internal, attachments });
        update(mergeMessages(threadRef.current, [result.message]));
        return;
      } catch (err) {
        // A refusal the agent can act on (a WeChat customer's 48-hour window closed) is shown, not just "failed".
        if (err instanceof ApiError && err.status === 409) setActionError(errorMessage(err));
        if (!(err instanceof ApiError) || !err.retryable) break;
        await new Promise((resolve) => setTimeout(resolve, err.retryAfterMs ?? 500 * 2 ** attempt));
      }
    }
    update(setDeliveryState(threadRef.current, clientMessageId, 'failed'));
  };

  const act = async (path: string, body: unknown) => {
    setActionError(undefined);
    try {
      const result = await store.api.call<{ conversation: Conversation }>(`${base}/${path}`, body);
      store.update(result.conversation);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setActionError(t('conflict'));
        void load();
      } else setActionError(t('actionFailed', { message: errorMessage(err) }));
    }
  };

  /** Turns the chat into a ticket linked to this thread (classified, routed and SLA-timed by the server). */
  const convert = async () => {
    setActionError(undefined);
    setConverting(true);
    try {
      const result = await store.api.call<{ ticket: { ticketId: string } }>(`${base}/ticket`, {});
      const current = store.get(conversationId);
      if (current) store.update({ ...current, ticketId: result.ticket.ticketId });
      location.hash = `#/tickets/mine/${encodeURIComponent(result.ticket.ticketId)}`;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setActionError(t('conflict'));
        void load();
      } else setActionError(t('actionFailed', { message: errorMessage(err) }));
    } finally {
      setConverting(false);
    }
  };

  const staffName = (sub: string) => {
    const s = store.staff.find((x) => x.sub === sub);
    return s ? s.name || s.email : sub;
  };

  /** Values for a macro's placeholders: the customer's name, the ticket, and their latest order (read once per conversation). */
  const orderId = useRef<Promise<string | undefined> | undefined>(undefined);
  const parcel = useRef<Promise<Record<MacroLang, string> | undefined> | undefined>(undefined);
  const macroContext = (): MacroContext => {
    const current = store.get(conversationId) ?? detail?.conversation;
    const contactId = current?.contactId;
    const customerTexts = threadRef.current.filter((m) => m.author.kind === 'visitor').map((m) => m.text);
    const lang: MacroLang = detail?.contact?.locale ? readerLang(detail.contact.locale, undefined) : guessLang(customerTexts, locale === 'en' ? 'en' : 'zh-CN');
    return {
      lang,
      ticketId: current?.ticketId,
      values: async () => {
        orderId.current ??= contactId
          ? store.api.call<{ recentOrders: { orderId: string }[] }>(`/contacts/${encodeURIComponent(contactId)}`).then(
              (c) => c.recentOrders[0]?.orderId,
              () => undefined,
            )
          : Promise.resolve(undefined);
        // The newest parcel's line in both languages, as the server fills it for ticket macros.
        parcel.current ??= contactId
          ? store.api.call<{ shipments: { line: Record<MacroLang, string> }[] }>(`/contacts/${encodeURIComponent(contactId)}/shipments`).then(
              (r) => r.shipments[0]?.line,
              () => undefined,
            )
          : Promise.resolve(undefined);
        const name = detail?.contact?.name || current?.contactName;
        const [order, latest] = await Promise.all([orderId.current, parcel.current]);
        const values: Partial<Record<Placeholder, string>> = {};
        if (name) values['customer.name'] = name;
        if (order) values['order.id'] = order;
        if (latest) values['shipment.latest'] = latest[lang];
        if (current?.ticketId) values['ticket.id'] = current.ticketId;
        return values;
      },
    };
  };

  /**
   * A reply made from a macro on a conversation with a ticket. Unchanged macro text in the language
   * the server picks goes through `ticket-macro-apply` (the server posts the reply and changes the
   * ticket in one go); an edited text is sent as typed, then the macro's ticket change is saved.
   */
  const sendWithMacro = async (text: string, chosen: ChosenMacro) => {
    const ticketId = (store.get(conversationId) ?? detail?.conversation)?.ticketId;
    if (!ticketId) return send(text, false);
    const ticketPath = `/tickets/${encodeURIComponent(ticketId)}`;
    const fresh = () => store.api.call<{ ticket: Ticket }>(ticketPath).then((r) => r.ticket);
    const summary = macroActionsText(chosen.macro.actions, t, staffName);
    setActionError(undefined);
    try {
      let ticket = await fresh();
      if (text === chosen.text && readerLang(detail?.contact?.locale, ticket.language) === chosen.lang) {
        for (let attempt = 0; ; attempt++) {
          const clientMessageId = `macro-${chosen.macro.macroId}-${ticketId}-v${ticket.version}`;
          update(
            addPending(threadRef.current, {
              clientMessageId,
              conversationId,
              text,
              internal: false,
              author: { kind: 'agent', sub: store.me, name: store.staff.find((s) => s.sub === store.me)?.name },
              createdAt: new Date().toISOString(),
            }),
          );
          try {
            const result = await store.api.call<{ ticket: Ticket; message: Message }>(
              `${ticketPath}/macros/${encodeURIComponent(chosen.macro.macroId)}/apply`,
              { version: ticket.version },
            );
            update(mergeMessages(threadRef.current, [result.message]));
            break;
          } catch (err) {
            update(threadRef.current.filter((m) => m.clientMessageId !== clientMessageId));
            if (!(err instanceof ApiError && err.status === 409) || attempt >= 2) throw err;
            ticket = await fresh();
          }
        }
      } else {
        await send(text, false);
        for (let attempt = 0; ; attempt++) {
          ticket = await fresh();
          const change = macroChange(chosen.macro.actions, ticket, store.me);
          if (Object.keys(change).length === 0) break;
          try {
            await store.api.patch(ticketPath, { version: ticket.version, ...change });
            break;
          } catch (err) {
            if (!(err instanceof ApiError && err.status === 409) || attempt >= 2) throw err;
          }
        }
      }
      if (hasActions(chosen.macro.actions)) setMacroNote(t('macroApplied', { name: pickText(chosen.macro.name, locale), actions: summary }));
    } catch (err) {
      setActionError(t('macroApplyFailed', { message: errorMessage(err) }));
    }
  };

  const onTyping = () => {
    const now = Date.now();
    if (now - lastTypingSent.current < TYPING_THROTTLE_MS) return;
    if (store.sendFrame({ type: 'typing', conversationId })) lastTypingSent.current = now;
  };

  if (error && !detail) return <LoadError class="pad" message={error} onRetry={() => void load()} />;
  if (!conversation) return <Loading class="pad" />;

  const name = contactLabel(conversation, t);
  const agents = store.staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
  const readIndex = Math.max(...[visitorReadId, conversation.readByVisitor].map((id) => (id ? thread.findIndex((m) => m.messageId === id) : -1)));
  let seenIndex = -1;
  for (let i = 0; i <= readIndex; i++) if (thread[i]?.author.kind === 'agent' && !thread[i]?.internal) seenIndex = i;
  const showTyping = typing && typing.until > Date.now();

  return (
    <div class={`conversation${embedded ? ' embedded' : ''}`}>
      <div class="conv-main">
        <header class="conv-head">
          {!embedded && (
            <a class="btn ghost back" href={`#/inbox/${view}`}>
              {t('back')}
            </a>
          )}
          {embedded ? <h3>{t('threadWith', { name })}</h3> : <h2>{name}</h2>}
          <span class={`status-pill ${conversation.status}`}>{t(STATUS_LABEL[conversation.status])}</span>
          <BotBadge bot={conversation.bot} />
          <ChurnBadge api={store.api} contactId={conversation.contactId} />
          {!embedded &&
            (conversation.ticketId ? (
              <a class="btn small" href={`#/tickets/mine/${encodeURIComponent(conversation.ticketId)}`} data-ticket-link={conversation.ticketId}>
                {t('openTicket')}
              </a>
            ) : (
              <button type="button" class="btn small" disabled={converting} onClick={() => void convert()}>
                {converting ? t('converting') : t('convertToTicket')}
              </button>
            ))}
          {!embedded && (
            <div class="actions" role="group" aria-label={t('status')}>
              {conversation.status !== 'pending' && conversation.status !== 'resolved' && (
                <button type="button" class="btn" onClick={() => void act('status', { status: 'pending' })}>
                  {t('setPending')}
                </button>
              )}
              {conversation.status !== 'resolved' ? (
                <button type="button" class="btn" onClick={() => void act('status', { status: 'resolved' })}>
                  {t('resolve')}
                </button>
              ) : (
                <button type="button" class="btn" onClick={() => void act('status', { status: 'open' })}>
                  {t('reopen')}
                </button>
              )}
              {conversation.status === 'pending' && (
                <button type="button" class="btn" onClick={() => void act('status', { status: 'open' })}>
                  {t('reopen')}
                </button>
              )}
            </div>
          )}
          {!embedded && (
            <div class="assign">
              {conversation.assignee?.sub !== store.me && (
                <button type="button" class="btn" onClick={() => void act('assign', { assignee: store.me })}>
                  {t('assignToMe')}
                </button>
              )}
              <label for={`assign-${conversationId}`}>{t('assignTo')}</label>
              <select
                id={`assign-${conversationId}`}
                value={conversation.assignee?.sub ?? ''}
                onChange={(e) => void act('assign', { assignee: e.currentTarget.value || null })}
              >
                <option value="">{t('unassign')}</option>
                {conversation.assignee && !agents.some((a) => a.sub === conversation.assignee?.sub) && (
                  <option value={conversation.assignee.sub}>{conversation.assignee.name}</option>
                )}
                {agents.map((a) => (
                  <option key={a.sub} value={a.sub}>
                    {a.name || a.email} ({t(a.presence)})
                  </option>
                ))}
              </select>
            </div>
          )}
        </header>
        {actionError && (
          <p class="error pad" role="alert">
            {actionError}
          </p>
        )}
        {conversation.bot?.handoff && <HandoffCard bot={conversation.bot} key={conversation.bot.handoff.at} />}
        <ol class="thread" ref={listRef} aria-label={t('thread')} tabIndex={0}>
          {nextBefore && (
            <li class="earlier">
              <button type="button" class="btn small" onClick={() => void loadEarlier()}>
                {t('loadEarlier')}
              </button>
            </li>
          )}
          {thread.map((m, i) => (
            <li
              key={m.clientMessageId ?? m.messageId}
              class={`msg ${m.author.kind}${m.internal ? ' internal' : ''}${m.state !== 'sent' ? ' ' + m.state : ''}`}
              data-message-id={m.messageId}
            >
              <div class="meta">
                <span class="author">{m.author.name || t(m.author.kind)}</span>
                {m.author.kind === 'bot' && <span class="badge bot">{t('botBadge')}</span>}
                {m.internal && <span class="badge note">{t('internalNote')}</span>}
                <time dateTime={m.createdAt}>{formatTime(m.createdAt, locale)}</time>
              </div>
              {(m.text || !m.attachments?.length) && <div class="bubble">{m.text}</div>}
              {m.attachments?.length ? (
                <ul class="files">
                  {m.attachments.map((a) => (
                    <li key={a.attachmentId || a.fileName}>
                      <AttachmentLink conversationPath={base} attachment={a} links={links} />
                    </li>
                  ))}
                </ul>
              ) : null}
              {m.author.kind === 'bot' && (m.meta?.articles?.length ?? 0) > 0 && (
                <ul class="bot-articles">
                  {m.meta!.articles!.map((a) => (
                    <li key={a.id}>
                      <a href={`#/kb/${encodeURIComponent(a.id)}`}>{a.title}</a>
                    </li>
                  ))}
                </ul>
              )}
              {m.state === 'pending' && <div class="state">{t('sending')}</div>}
              {m.state === 'failed' && (
                <div class="state error" role="alert">
                  {t('failed')}{' '}
                  <button type="button" class="link" onClick={() => void send(m.text, m.internal, m.clientMessageId, m.attachments)}>
                    {t('retry')}
                  </button>
                </div>
              )}
              {i === seenIndex && <div class="state">{t('seen')}</div>}
            </li>
          ))}
        </ol>
        <p class="typing" aria-live="polite">
          {showTyping ? t('typing', { name: typing!.name }) : ''}
        </p>
        <ReplyBox
          api={store.api}
          macroContext={macroContext}
          nameOf={staffName}
          onSend={(text, internal, chosen) => void (chosen ? sendWithMacro(text, chosen) : send(text, internal))}
          onTyping={onTyping}
          onFile={(file) => void sendFile(file)}
          note={uploadNote ?? macroNote}
        />
      </div>
      {!embedded && <ShopperPanel detail={detail} conversation={conversation} view={view} api={store.api} />}
    </div>
  );
}

/** An image thumbnail or a download link named after the file, with a short-lived link from the API. */
function AttachmentLink(props: { conversationPath: string; attachment: AttachmentRef; links: (path: string) => Promise<string> }) {
  const { t } = useI18n();
  const { attachment: a } = props;
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!a.attachmentId) return;
    let live = true;
    props.links(`${props.conversationPath}/attachments/${encodeURIComponent(a.attachmentId)}`).then(
      (u) => live && setUrl(u),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [a.attachmentId, props.conversationPath]);
  if (isImage(a) && a.attachmentId) return <img class="thumb" src={url} alt={a.fileName} />;
  return url ? (
    <a class="file" href={url} download={a.fileName} target="_blank" rel="noopener">
      {a.fileName}
    </a>
  ) : (
    <span class="file" title={t('sending')}>
      {a.fileName}
    </span>
  );
}

/** "Bot" while the bot still handles the conversation; how it ended once it stopped on its own. */
export function BotBadge(props: { bot: BotState | undefined }) {
  const { t } = useI18n();
  const bot = props.bot;
  if (bot?.active) {
    return (
      <span class="badge bot" title={t('botActiveHint')}>
        {t('botBadge')}
      </span>
    );
  }
  if (bot?.outcome === 'resolved_by_bot' || bot?.outcome === 'abandoned') return <span class="badge muted">{outcomeLabel(bot.outcome, t)}</span>;
  return null;
}

/** The bot's typed hand-off: why, to which team, how urgent, and its summary for the agent. */
function HandoffCard(props: { bot: BotState }) {
  const { t, locale } = useI18n();
  const handoff = props.bot.handoff!;
  return (
    <details class={`handoff prio-${handoff.priority}`} open>
      <summary>
        <strong>{t('handoffTitle')}</strong> · {reasonLabel(handoff.reason, t)} ·{' '}
        <span class={`prio ${handoff.priority}`}>{priorityLabel(handoff.priority, t)}</span>
      </summary>
      <dl>
        <dt>{t('handoffReason')}</dt>
        <dd>{reasonLabel(handoff.reason, t)}</dd>
        <dt>{t('handoffTeam')}</dt>
        <dd>{teamLabel(handoff.team, t)}</dd>
        <dt>{t('handoffPriority')}</dt>
        <dd>{priorityLabel(handoff.priority, t)}</dd>
        <dt>{t('handoffAt')}</dt>
        <dd>
          <time dateTime={handoff.at}>{formatTime(handoff.at, locale)}</time>
        </dd>
      </dl>
      <h3>{t('handoffSummary')}</h3>
      <pre class="summary">{pickText(handoff.summaryText, locale) || handoff.summary}</pre>
    </details>
  );
}

function ShopperPanel(props: { detail: Detail | undefined; conversation: Conversation; view: InboxView; api: StaffApi }) {
  const { t, locale } = useI18n();
  const { detail, conversation } = props;
  const contact = detail?.contact;
  const verified = contact?.verified ?? conversation.verified;
  return (
    <aside class="shopper" aria-labelledby="shopper-heading">
      <h2 id="shopper-heading">{t('shopper')}</h2>
      <p class="shopper-name">
        {contact?.name || contactLabel(conversation, t)}{' '}
        <span class={`badge ${verified ? 'ok' : 'muted'}`} title={verified ? t('verifiedHint') : undefined}>
          {verified ? t('verified') : t('unverified')}
        </span>
      </p>
      <dl>
        <dt>{t('email')}</dt>
        <dd>{contact?.email || conversation.offline?.email || <span class="muted">{t('noEmail')}</span>}</dd>
        {contact?.shopUserId && (
          <>
            <dt>{t('shopUserId')}</dt>
            <dd>{contact.shopUserId}</dd>
          </>
        )}
        {conversation.page && (
          <>
            <dt>{t('currentPage')}</dt>
            <dd>
              <a href={conversation.page.url} target="_blank" rel="noopener noreferrer">
                {conversation.page.title || conversation.page.url}
              </a>
            </dd>
          </>
        )}
        {conversation.offline && (
          <>
            <dt>{t('offlineMessage')}</dt>
            <dd>{conversation.offline.email}</dd>
          </>
        )}
      </dl>
      <CustomerPanel api={props.api} contactId={conversation.contactId} />
      <h3>{t('otherConversations')}</h3>
      {detail && detail.history.filter((c) => c.conversationId !== conversation.conversationId).length > 0 ? (
        <ul class="history">
          {detail.history
            .filter((c) => c.conversationId !== conversation.conversationId)
            .map((c) => (
              <li key={c.conversationId}>
                <a href={`#/inbox/${props.view}/${encodeURIComponent(c.conversationId)}`}>
                  <span class={`status-pill ${c.status}`}>{t(STATUS_LABEL[c.status])}</span>{' '}
                  <time dateTime={c.lastMessageAt}>{formatTime(c.lastMessageAt, locale)}</time>
                  <span class="conv-preview">{c.lastMessagePreview}</span>
                </a>
              </li>
            ))}
        </ul>
      ) : (
        <p class="muted">{t('noOtherConversations')}</p>
      )}
    </aside>
  );
}
