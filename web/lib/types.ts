// Ticket shapes are the server's own types (type-only imports, erased from the bundles).
import type { Priority, Ticket, TicketStatus } from '../../shared/tickets/model.ts';
import type { SlaMetric } from '../../shared/sla/policy.ts';
export type { Priority, SlaMetric, Ticket, TicketStatus };

/** Shapes of the live chat API as the web apps see them (docs/chat-api.md). */

export type Locale = 'zh-CN' | 'en';

export type ConversationStatus = 'open' | 'pending' | 'resolved';

export interface PageRef {
  url: string;
  title?: string;
}

export type HandoffReason =
  | 'customer_request'
  | 'low_confidence'
  | 'negative_sentiment'
  | 'sensitive_topic'
  | 'vip'
  | 'budget_exhausted'
  | 'provider_error';

/** The bot's typed hand-off to the human team (shown to agents as a card). */
export interface BotHandoff {
  reason: HandoffReason | string;
  /** Plain text written by the bot for the agent (render pre-wrapped, as text). */
  summary: string;
  team: string;
  priority: 'low' | 'normal' | 'high' | 'urgent' | string;
  at: string;
}

export type BotOutcome = 'resolved_by_bot' | 'handed_off' | 'abandoned';

/** The bot's state on a conversation, as staff see it. */
export interface BotState {
  active: boolean;
  turns: number;
  fallbacks: number;
  tokens?: number;
  outcome?: BotOutcome;
  handoff?: BotHandoff;
}

export interface Conversation {
  conversationId: string;
  contactId: string;
  status: ConversationStatus;
  channel: 'chat' | 'email' | 'phone' | 'web_form' | 'api';
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
  /** Present while (or after) the bot served the conversation. */
  bot?: BotState;
  ticketId?: string;
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
  /** Whether the bot still answers (the "talk to a human" button shows while `active`). */
  bot?: { active: boolean; outcome?: BotOutcome };
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
  /** Bot extras: articles to link and actions to offer. */
  meta?: MessageMeta;
  /** Files sent with the message (uploaded first; links come from the attachments endpoint). */
  attachments?: AttachmentRef[];
}

/** A file attached to a message (shared/attachments.ts). */
export interface AttachmentRef {
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
}

export type BotActionKind = 'helpful' | 'not_helpful' | 'human';

export interface MessageMeta {
  articles?: { id: string; title: string }[];
  actions?: BotActionKind[];
}

export interface MessagePage {
  items: Message[];
  nextBefore?: string;
}



export interface Bilingual {
  'zh-CN': string;
  en: string;
}

/** A pending survey as the widget receives it (shared/feedback/service.ts `surveyForVisitor`). */
export interface VisitorSurvey {
  surveyId: string;
  name: Bilingual;
  questions: SurveyQuestion[];
  status: 'sent' | 'answered' | 'suppressed';
  sentAt?: string;
  expiresAt: string;
  conversationId?: string;
}

export interface SurveyQuestion {
  id: string;
  kind: 'csat' | 'ces' | 'nps' | 'choice' | 'text';
  text: Bilingual;
  required: boolean;
  options?: { id: string; text: Bilingual }[];
  multiple?: boolean;
  showIf?: { question: string; atMost: number };
}

/** A campaign message in the widget (shared/campaigns/send.ts), already in the shopper's language. */
export interface CampaignMessage {
  campaignId: string;
  variantId?: string;
  lang: 'zh' | 'en';
  title: string;
  body: string;
  offer?: { kind: 'none' } | { kind: 'points'; points: number };
  createdAt: string;
  expiresAt?: string;
}

export type ServerFrame =
  | { type: 'message'; conversationId: string; message: Message }
  | { type: 'conversation'; conversation: Conversation | VisitorConversation }
  | { type: 'typing'; conversationId: string; from: 'visitor' | 'agent'; name?: string }
  | { type: 'read'; conversationId: string; by: 'visitor' | 'agent'; messageId: string }
  | { type: 'presence'; agentsOnline: number }
  | { type: 'bot_delta'; conversationId: string; streamId: string; delta: string }
  | { type: 'pong' }
  | { type: 'error'; message: string }
  /** Staff: a ticket was created or changed (header only; clocks and audit come from GET /tickets/{id}). */
  | { type: 'ticket'; ticket: Ticket }
  /** Staff: an SLA warning or breach fired. */
  | { type: 'sla'; kind: 'warn' | 'breach'; ticketId: string; metric: SlaMetric; dueAt: string; subject: string; assignee?: string; escalatedTo?: string; text: Bilingual }
  /** Visitor: a survey was sent to them. */
  | { type: 'survey'; survey: VisitorSurvey }
  /** Visitor: a campaign message for them. */
  | { type: 'campaign_message'; message: CampaignMessage };

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
  /** Local runtime only: signs the demo shop's shopper (the demo page's "log in" button). */
  demoIdentityUrl?: string;
}
