import { useEffect, useState } from 'preact/hooks';
import { sortByActivity } from '../lib/merge.ts';
import { ReconnectingSocket, type SocketState } from '../lib/socket.ts';
import type { Conversation, MessagePage, ServerFrame, Subscribe } from '../lib/types.ts';
import type { StaffApi } from './auth.ts';
import { type InboxView, inView, unreadIn, VIEWS } from './inbox-state.ts';
import { errorMessage } from './kit/text.ts';

export interface StaffMember {
  sub: string;
  name: string;
  email: string;
  roles: string[];
  presence: 'online' | 'away' | 'offline';
}

type FrameListener = (frame: ServerFrame | { type: 'reconnected' }) => void;

/**
 * The inbox's live state: every conversation any view has shown, kept current by the staff
 * WebSocket, so views and unread counts change without a reload. Components subscribe to it.
 */
export class InboxStore {
  readonly api: StaffApi;
  readonly me: string;
  private readonly conversations = new Map<string, Conversation>();
  private readonly listeners = new Set<() => void>();
  private readonly frameListeners = new Set<FrameListener>();
  private readonly socket: ReconnectingSocket;
  /** Conversations open on screen: the socket gets their messages, typing and read frames. */
  private readonly watched = new Set<string>();
  /** The conversation opened last, until the server confirms it pushes its frames. */
  private opening: string | undefined;
  socketState: SocketState = 'connecting';
  loaded = false;
  loadError: string | undefined;
  staff: StaffMember[] = [];
  /** Bumped on every change so components can compare snapshots cheaply. */
  revision = 0;

  constructor(api: StaffApi, me: string) {
    this.api = api;
    this.me = me;
    this.socket = new ReconnectingSocket({
      url: () => api.socketUrl(),
      onFrame: (frame) => this.onFrame(frame),
      subscription: () => this.subscription(),
      onOpen: (reconnected) => {
        void this.load();
        void this.loadStaff().then(() => this.announceOnline());
        if (reconnected) for (const listener of this.frameListeners) listener({ type: 'reconnected' });
      },
      onState: (state) => {
        this.socketState = state;
        this.changed();
      },
    });
  }

  /** Connects; views load at once and again when the socket is up (nothing falls between the two). */
  start(): void {
    this.socket.start();
    void this.load();
  }

  stop(): void {
    this.socket.stop();
  }

  /** Loads every view (first page each) and merges them. */
  async load(): Promise<void> {
    try {
      const pages = await Promise.all(VIEWS.map((view) => this.api.call<{ items: Conversation[] }>(`/conversations?view=${view}`)));
      for (const page of pages) for (const c of page.items) this.put(c);
      this.loaded = true;
      this.loadError = undefined;
    } catch (err) {
      this.loadError = errorMessage(err);
    }
    this.changed();
  }

  async loadStaff(): Promise<void> {
    try {
      this.staff = (await this.api.call<{ items: StaffMember[] }>('/staff')).items;
      this.changed();
    } catch (err) {
      console.warn('[kefu] staff list unavailable', err);
    }
  }

  /**
   * The console is up (live socket) and the agent has not chosen "away": saying so lets the server
   * hand them the waiting tickets of their teams at once (a push during the socket's own connect
   * could not reach it).
   */
  private async announceOnline(): Promise<void> {
    if (this.staff.find((s) => s.sub === this.me)?.presence === 'away') return;
    await this.api.call('/staff/presence', { status: 'online' }).catch((err: unknown) => console.warn('[kefu] presence update failed', err));
  }

  /** Shows the presence the agent just set without waiting for the server's presence frame. */
  setOwnPresence(presence: StaffMember['presence']): void {
    const self = this.staff.find((s) => s.sub === this.me);
    if (self) self.presence = presence;
    else this.staff = [...this.staff, { sub: this.me, name: '', email: '', roles: [], presence }];
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Frames for open conversation views (plus a synthetic `reconnected`). */
  onFrames(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /**
   * Opens a conversation on this socket (its messages, typing and read frames come only while it is
   * open); returns the function that closes it. Every inbox frame comes anyway.
   */
  watch(conversationId: string): () => void {
    this.watched.add(conversationId);
    this.opening = conversationId;
    this.socket.resubscribe();
    return () => {
      this.watched.delete(conversationId);
      this.socket.resubscribe();
    };
  }

  private subscription(): Subscribe {
    // The server keeps at most 20 open conversations per socket.
    return { type: 'subscribe', views: ['conversations', 'presence', 'tickets'], conversations: [...this.watched].slice(-20) };
  }

  /**
   * Once the server pushes a newly opened conversation's frames, what was written between the
   * screen's first load and that moment is fetched once and handed on as message frames (views
   * merge them by id), so nothing falls between the two.
   */
  private async catchUp(conversationId: string): Promise<void> {
    const page = await this.api.call<MessagePage>(`/conversations/${encodeURIComponent(conversationId)}/messages?limit=50`).catch(() => undefined);
    for (const message of page?.items ?? []) for (const listener of this.frameListeners) listener({ type: 'message', conversationId, message });
  }

  sendFrame(frame: Parameters<ReconnectingSocket['send']>[0]): boolean {
    return this.socket.send(frame);
  }

  get(conversationId: string): Conversation | undefined {
    return this.conversations.get(conversationId);
  }

  /** Every conversation the inbox holds. */
  all(): IterableIterator<Conversation> {
    return this.conversations.values();
  }

  view(view: InboxView): Conversation[] {
    return sortByActivity([...this.conversations.values()].filter((c) => inView(view, c, this.me)));
  }

  unread(view: InboxView): number {
    return unreadIn(view, this.conversations.values(), this.me);
  }

  /** Records a conversation the server returned (older versions never overwrite newer ones). */
  put(conversation: Conversation): void {
    const existing = this.conversations.get(conversation.conversationId);
    if (existing && existing.version > conversation.version) return;
    this.conversations.set(conversation.conversationId, conversation);
  }

  update(conversation: Conversation): void {
    this.put(conversation);
    this.changed();
  }

  /** Clears the unread count locally once the agent has read a conversation. */
  markReadLocally(conversationId: string): void {
    const existing = this.conversations.get(conversationId);
    if (existing && existing.unreadByAgent > 0) {
      this.conversations.set(conversationId, { ...existing, unreadByAgent: 0 });
      this.changed();
    }
  }

  private onFrame(frame: ServerFrame): void {
    if (frame.type === 'subscribed') {
      const id = this.opening;
      if (id && this.watched.has(id) && frame.conversations.includes(id)) {
        this.opening = undefined;
        void this.catchUp(id);
      }
      return;
    }
    if (frame.type === 'conversation') this.put(frame.conversation as Conversation);
    else if (frame.type === 'message') {
      const existing = this.conversations.get(frame.conversationId);
      if (existing && !frame.message.internal && frame.message.createdAt >= existing.lastMessageAt) {
        this.conversations.set(frame.conversationId, {
          ...existing,
          lastMessageAt: frame.message.createdAt,
          lastMessagePreview: frame.message.text.slice(0, 140),
        });
      } else if (!existing) void this.fetchOne(frame.conversationId);
    } else if (frame.type === 'presence') void this.loadStaff();
    for (const listener of this.frameListeners) listener(frame);
    this.changed();
  }

  private async fetchOne(conversationId: string): Promise<void> {
    try {
      const detail = await this.api.call<{ conversation: Conversation }>(`/conversations/${encodeURIComponent(conversationId)}`);
      this.update(detail.conversation);
    } catch (err) {
      console.warn('[kefu] could not fetch conversation', err);
    }
  }

  private changed(): void {
    this.revision++;
    for (const listener of this.listeners) listener();
  }
}

/** Re-renders the calling component whenever the store changes. */
export function useStore(store: InboxStore): number {
  const [revision, setRevision] = useState(store.revision);
  useEffect(() => store.subscribe(() => setRevision(store.revision)), [store]);
  return revision;
}
