import { formatTime } from '../lib/format.ts';
import { BotBadge, ConversationView } from './conversation.tsx';
import { type ConsoleKey, useI18n } from './i18n.ts';
import { contactLabel, type InboxView, VIEWS } from './inbox-state.ts';
import { type InboxStore, useStore } from './inbox-store.ts';

const VIEW_LABEL: Record<InboxView, ConsoleKey> = {
  open: 'viewOpen',
  pending: 'viewPending',
  mine: 'viewMine',
  unassigned: 'viewUnassigned',
  bot: 'viewBot',
};

export function InboxPage(props: { store: InboxStore; view: InboxView; conversationId: string | undefined }) {
  const { store, view, conversationId } = props;
  const { t, locale } = useI18n();
  useStore(store);
  const items = store.view(view);

  return (
    <div class={`inbox${conversationId ? ' has-selection' : ''}`}>
      <section class="inbox-list" aria-labelledby="inbox-heading">
        <h1 id="inbox-heading" class="sr-only">
          {t('navInbox')}
        </h1>
        <nav aria-label={t('views')}>
          <ul class="views">
            {VIEWS.map((v) => {
              const unread = store.unread(v);
              return (
                <li key={v}>
                  <a href={`#/inbox/${v}`} aria-current={v === view ? 'page' : undefined} data-view={v}>
                    {t(VIEW_LABEL[v])}
                    {unread > 0 && (
                      <span class="count" aria-label={t('unreadCount', { count: unread })}>
                        {unread}
                      </span>
                    )}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        {store.loadError && (
          <p class="error" role="alert">
            {t('loadFailed', { message: store.loadError })}{' '}
            <button type="button" class="btn small" onClick={() => void store.load()}>
              {t('retry')}
            </button>
          </p>
        )}
        {!store.loaded && !store.loadError && <p class="muted pad">{t('loading')}</p>}
        {store.loaded && items.length === 0 && <p class="muted pad">{t('noConversations')}</p>}
        <ul class="conversations" aria-label={t('conversations')}>
          {items.map((c) => (
            <li key={c.conversationId}>
              <a
                href={`#/inbox/${view}/${encodeURIComponent(c.conversationId)}`}
                class={`conv${c.unreadByAgent > 0 ? ' unread' : ''}`}
                aria-current={c.conversationId === conversationId ? 'true' : undefined}
                data-conversation={c.conversationId}
              >
                <span class="conv-top">
                  <span class="conv-name">{contactLabel(c, t)}</span>
                  {c.verified && <span class="badge ok">{t('verified')}</span>}
                  {c.bot?.active && <BotBadge bot={c.bot} />}
                  {c.bot?.handoff && !c.bot.active && c.status !== 'resolved' && <span class={`prio ${c.bot.handoff.priority}`}>{t('handoffShort')}</span>}
                  {c.ticketId && <span class="badge muted">{t('ticketBadge')}</span>}
                  <time dateTime={c.lastMessageAt}>{formatTime(c.lastMessageAt, locale)}</time>
                </span>
                <span class="conv-preview">{c.lastMessagePreview}</span>
                <span class="conv-meta">
                  <span>{c.assignee ? c.assignee.name : t('unassigned')}</span>
                  {c.unreadByAgent > 0 && (
                    <span class="count" aria-label={t('unreadCount', { count: c.unreadByAgent })}>
                      {c.unreadByAgent}
                    </span>
                  )}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section class="inbox-detail">
        {conversationId ? (
          <ConversationView key={conversationId} store={store} conversationId={conversationId} view={view} />
        ) : (
          <p class="muted center">{t('selectConversation')}</p>
        )}
      </section>
    </div>
  );
}
