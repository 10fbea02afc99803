/** Shapes of the live chat API as the web apps see them (docs/chat-api.md). */

export type Locale = 'zh-CN' | 'en';

export type ConversationStatus = 'open' | 'pending' | 'resolved';

export interface PageRef {
  url: string;
  title?: string;
}

export interface Conversation {
  conversationId: string;
  contactId: string;
  status: ConversationStatus;
  channel: 'chat';
  assignee?: { sub: string; name: string };
  contactName?: string;
  verified: boolean;
  page?: PageRef;
  lastMessageAt: string;
  lastMessagePreview: string;
  unreadByAgent: number;
  unreadByVisitor: number;
  /** Newest message the agents have read. */
  readByAgent?: string;
  /** Newest message the visitor has read. */
  readByVisitor?: string;
  offline?: { email: string; name?: string };
  createdAt: string;
  version: number;
}

/** What the visitor API returns of a conversation (no staff-side counters or ids). */
export interface VisitorConversation {
  conversationId: string;
  status: ConversationStatus;
  assignee?: { name: string };
  lastMessageAt: string;
  lastMessagePreview: string;
  unreadByVisitor: number;
  readByAgent?: string;
  createdAt: string;
}

export type AuthorKind = 'visitor' | 'agent' | 'bot' | 'system';

export interface Message {
  messageId: string;
  conversationId: string;
  clientMessageId?: string;
  author: { kind: AuthorKind; name?: string; sub?: string };
  text: string;
  internal: boolean;
  createdAt: string;
}

export interface MessagePage {
  items: Message[];
  nextBefore?: string;
}

export type ServerFrame =
  | { type: 'message'; conversationId: string; message: Message }
  | { type: 'conversation'; conversation: Conversation | VisitorConversation }
  | { type: 'typing'; conversationId: string; from: 'visitor' | 'agent'; name?: string }
  | { type: 'read'; conversationId: string; by: 'visitor' | 'agent'; messageId: string }
  | { type: 'presence'; agentsOnline: number }
  | { type: 'pong' }
  | { type: 'error'; message: string };

export type ClientFrame =
  | { type: 'ping' }
  | { type: 'typing'; conversationId: string }
  | { type: 'read'; conversationId: string; messageId: string };

export type AuthConfig =
  | { kind: 'local'; loginUrl: string }
  | { kind: 'cognito'; region: string; userPoolId: string; clientId: string };

/** `/config.json`, served next to the web apps. */
export interface WebConfig {
  apiUrl: string;
  wsUrl: string;
  auth: AuthConfig;
}
