// Ticket shapes are the server's own types (type-only imports, erased from the bundles).

import type { SlaMetric } from '../../shared/sla/policy.ts';
import type { Priority, Ticket, TicketStatus } from '../../shared/tickets/model.ts';

export type { Priority, SlaMetric, Ticket, TicketStatus };

import type { AttachmentRef } from '../../shared/attachments.ts';
import type { VisitorConversation } from '../../shared/chat/service.ts';
import type { Bilingual, Question } from '../../shared/feedback/model.ts';
import type { surveyForVisitor } from '../../shared/feedback/service.ts';
// Conversation, message, survey and attachment shapes are the server's own types too.
import type { AuthorKind, BotConversationState, Conversation, ConversationStatus, Message } from '../../shared/store/conversations.ts';

export type { AttachmentRef, AuthorKind, Bilingual, Conversation, ConversationStatus, Message, VisitorConversation };

/** Shapes of the live chat API as the web apps see them (docs/chat-api.md). */

export type Locale = 'zh-CN' | 'en';

export type PageRef = NonNullable<Conversation['page']>;

export type HandoffReason = 'customer_request' | 'low_confidence' | 'negative_sentiment' | 'sensitive_topic' | 'vip' | 'budget_exhausted' | 'provider_error';

/** The bot's state on a conversation, as staff see it. */
export type BotState = BotConversationState;
/** The bot's typed hand-off to the human team (shown to agents as a card; `summary` is plain text). */
export type BotHandoff = NonNullable<BotState['handoff']>;
export type BotOutcome = NonNullable<BotState['outcome']>;

export type MessageMeta = NonNullable<Message['meta']>;
export type BotActionKind = NonNullable<MessageMeta['actions']>[number];

export interface MessagePage {
  items: Message[];
  nextBefore?: string;
}

/** A pending survey as the widget receives it (shared/feedback/service.ts `surveyForVisitor`). */
export type VisitorSurvey = ReturnType<typeof surveyForVisitor>;
export type SurveyQuestion = Question;

/** A campaign message in the widget (shared/campaigns/send.ts), already in the shopper's language. */
export interface CampaignMessage {
  campaignId: string;
  variantId?: string;
  lang: 'zh' | 'en';
  title: string;
  body: string;
  offer?:
    | { kind: 'none' }
    | { kind: 'points'; points: number }
    /** A coupon code given to this shopper (campaigns, care messages); value and threshold in yuan. */
    | { kind: 'coupon'; code: string; value: number; threshold: number; expiresAt: string };
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
  /** The server took the socket's `subscribe` frame. */
  | { type: 'subscribed'; views: SocketView[]; conversations: string[] }
  /** Staff: a ticket was created or changed (header only; clocks and audit come from GET /tickets/{id}). */
  | { type: 'ticket'; ticket: Ticket }
  /** Staff: an SLA warning or breach fired. */
  | {
      type: 'sla';
      kind: 'warn' | 'breach';
      ticketId: string;
      metric: SlaMetric;
      dueAt: string;
      subject: string;
      assignee?: string;
      escalatedTo?: string;
      text: Bilingual;
    }
  /** Visitor: a survey was sent to them. */
  | { type: 'survey'; survey: VisitorSurvey }
  /** Visitor: a campaign message for them. */
  | { type: 'campaign_message'; message: CampaignMessage };

/** Frame families a socket can ask for (the server's `VIEWS` in shared/realtime.ts). */
export type SocketView = 'conversations' | 'presence' | 'tickets' | 'offers';
/** What a socket asks to receive: replaces what it asked before (docs/contracts.md, "Socket frames"). */
export type Subscribe = { type: 'subscribe'; views: SocketView[]; conversations?: string[] };

export type ClientFrame =
  | { type: 'ping' }
  | Subscribe
  | { type: 'typing'; conversationId: string }
  | { type: 'read'; conversationId: string; messageId: string };

export type AuthConfig = { kind: 'local'; loginUrl: string } | { kind: 'cognito'; region: string; userPoolId: string; clientId: string };

/** `/config.json`, served next to the web apps. */
export interface WebConfig {
  apiUrl: string;
  wsUrl: string;
  auth: AuthConfig;
  /** Local runtime only: signs the demo shop's shopper (the demo page's "log in" button). */
  demoIdentityUrl?: string;
}
