/**
 * Being noticed without staring at the screen: the count of conversations waiting for the agent in
 * the tab title, a short chime (can be muted) and a desktop notification when the console is not in
 * front. The rules are pure (`needsMe`, `arrivals`); `Attention` applies them to the live inbox.
 */
import type { Conversation } from '../lib/types.ts';
import { inView } from './inbox-state.ts';

/** An open conversation of the agent's, or one waiting for anyone (not the bot's), with unread shopper messages. */
export function needsMe(c: Conversation, me: string): boolean {
  return c.unreadByAgent > 0 && (inView('mine', c, me) || inView('unassigned', c, me));
}

/** The tab title: the count of conversations waiting for the agent first, so it shows in a crowded tab bar. */
export function titleWith(base: string, waiting: number): string {
  return waiting > 0 ? `(${waiting}) ${base}` : base;
}

/** Unread counts last seen per conversation that needed the agent. */
export type Seen = ReadonlyMap<string, number>;

/**
 * The conversations that newly need the agent since `seen`: a new one, or one with more unread
 * messages than before. The first look (`seen` undefined) raises nothing: signing in to a backlog
 * should not ring.
 */
export function arrivals(seen: Seen | undefined, conversations: Iterable<Conversation>, me: string): { fresh: Conversation[]; seen: Seen } {
  const next = new Map<string, number>();
  const fresh: Conversation[] = [];
  for (const c of conversations) {
    if (!needsMe(c, me)) continue;
    next.set(c.conversationId, c.unreadByAgent);
    if (seen && c.unreadByAgent > (seen.get(c.conversationId) ?? 0)) fresh.push(c);
  }
  return { fresh, seen: next };
}

const SOUND_KEY = 'kefu:console:sound';

export function soundOn(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setSound(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    /* storage disabled: the choice lasts this page view */
  }
}

let audio: AudioContext | undefined;

/**
 * Two soft tones from Web Audio (no sound file to download). Browsers allow audio only after the
 * user interacted with the page; signing in is such an interaction, and a refused play is harmless.
 */
export function chime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [i, freq] of [880, 1175].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + i * 0.16);
      gain.gain.exponentialRampToValueAtTime(0.15, start + i * 0.16 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.16 + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + i * 0.16);
      osc.stop(start + i * 0.16 + 0.32);
    }
  } catch (err) {
    console.warn('[kefu] chime unavailable', err);
  }
}

/** Whether the console is out of the agent's sight (another tab, another window in front). */
function outOfSight(): boolean {
  return document.visibilityState === 'hidden' || !document.hasFocus();
}

export interface AttentionText {
  title: string;
  /** The notification's heading for a conversation. */
  heading: (c: Conversation) => string;
}

/**
 * Applies the rules to the inbox as it changes: title count always, a chime and (out of sight, when
 * permitted) a desktop notification for each arrival. Clicking a notification opens the conversation.
 */
export class Attention {
  private seen: Seen | undefined;
  private readonly me: string;
  private readonly text: () => AttentionText;

  constructor(me: string, text: () => AttentionText) {
    this.me = me;
    this.text = text;
  }

  /** Call with every conversation the inbox holds, after each change; `loaded` false skips the first partial look. */
  update(conversations: Iterable<Conversation>, loaded: boolean): void {
    const all = [...conversations];
    const text = this.text();
    document.title = titleWith(text.title, all.filter((c) => needsMe(c, this.me)).length);
    if (!loaded) return;
    const { fresh, seen } = arrivals(this.seen, all, this.me);
    this.seen = seen;
    if (!fresh.length) return;
    if (soundOn()) chime();
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !outOfSight()) return;
    for (const c of fresh.slice(0, 3)) {
      const note = new Notification(text.heading(c), { body: c.lastMessagePreview, tag: c.conversationId });
      note.onclick = () => {
        window.focus();
        location.hash = `#/inbox/${inView('mine', c, this.me) ? 'mine' : 'unassigned'}/${encodeURIComponent(c.conversationId)}`;
        note.close();
      };
    }
  }
}
