/**
 * The functions that carry a chat message end to end (issue 15): the shopper's and the agent's send,
 * read and list, the bot, and the WebSocket routes. They are held to a tighter cold start than the
 * rest (bench/cold-start.ts) and must not load email parsing or the S3 SDK at start
 * (test/infra/chat-bundles.test.ts).
 */
export const CHAT_PATH = [
  'widget-messages-send',
  'widget-messages-list',
  'widget-read',
  'conversation-messages-send',
  'conversation-messages-list',
  'conversation-read',
  'bot-consumer',
  'ws-connect',
  'ws-disconnect',
  'ws-default',
] as const;

/** Cold start of a chat-path bundle against the bare GetItem reference (every other function: MAX_RATIO). */
export const CHAT_MAX_RATIO = 1.1;
