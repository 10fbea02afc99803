/**
 * Streaming bot answers (LLM mode): `bot_delta` frames carry pieces of an answer before the final
 * `message` frame. The widget shows one growing bubble per streamId and, when the next bot message
 * of that conversation arrives, replaces the oldest streaming bubble with it (match by arrival:
 * the final message does not name its stream). Pure functions over an immutable list.
 */

export interface BotStream {
  streamId: string;
  conversationId: string;
  text: string;
  startedAt: number;
  updatedAt: number;
}

/** A stream that got no delta for this long is dropped (its final message was lost or never came). */
export const STREAM_IDLE_MS = 60_000;

/** Appends a delta to its stream (creating the stream on its first delta); order of arrival is kept. */
export function applyDelta(streams: readonly BotStream[], frame: { conversationId: string; streamId: string; delta: string }, now: number): BotStream[] {
  const index = streams.findIndex((s) => s.streamId === frame.streamId);
  if (index === -1) {
    return [...streams, { streamId: frame.streamId, conversationId: frame.conversationId, text: frame.delta, startedAt: now, updatedAt: now }];
  }
  return streams.map((s, i) => (i === index ? { ...s, text: s.text + frame.delta, updatedAt: now } : s));
}

/** The final bot message of a conversation arrived: the oldest open stream of that conversation ends. */
export function settleStream(streams: readonly BotStream[], conversationId: string): BotStream[] {
  const index = streams.findIndex((s) => s.conversationId === conversationId);
  return index === -1 ? streams.slice() : streams.filter((_, i) => i !== index);
}

/** Drops streams idle for longer than `idleMs`. */
export function dropStale(streams: readonly BotStream[], now: number, idleMs = STREAM_IDLE_MS): BotStream[] {
  return streams.filter((s) => now - s.updatedAt <= idleMs);
}

/** Streams of one conversation, oldest first. */
export function streamsOf(streams: readonly BotStream[], conversationId: string | undefined): BotStream[] {
  return conversationId ? streams.filter((s) => s.conversationId === conversationId) : [];
}

/**
 * What the shopper sees of a partial answer: the model cites articles as `[article:id]` (removed
 * from the final text by the server), so markers, and a marker still being typed at the end, are
 * hidden while streaming.
 */
export function visibleStreamText(text: string): string {
  return text
    .replace(/\s*\[article:[\w-]*\]/g, '')
    .replace(/\s*\[(?:a(?:r(?:t(?:i(?:c(?:l(?:e(?::[\w-]*)?)?)?)?)?)?)?)?$/, '')
    .trimStart();
}
