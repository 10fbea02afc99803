/**
 * Every key shape of the single table is built here and nowhere else.
 * The access pattern each one serves is listed in docs/data-model.md.
 */

export interface Key {
  pk: string;
  sk: string;
}

/** Zero-padded, sortable timestamp segment (ISO 8601 sorts lexicographically). */
function ts(iso: string): string {
  return iso;
}

export const keys = {
  /** Platform-wide settings and generated secrets. */
  settings: (): Key => ({ pk: 'SETTINGS', sk: 'PLATFORM' }),
  /** One shop (identity-verification and webhook secrets, business hours, locales). */
  shop: (shopId: string): Key => ({ pk: `SHOP#${shopId}`, sk: 'SHOP' }),

  /** Staff profile by Cognito / local issuer subject. */
  staff: (sub: string): Key => ({ pk: `STAFF#${sub}`, sk: 'PROFILE' }),
  /** All staff, listed through gsi1. */
  staffListing: (name: string) => ({ gsi1pk: 'STAFF', gsi1sk: name.toLowerCase() }),
  /** Local issuer account (local runtime only; Cognito holds these in AWS). */
  localAccount: (email: string): Key => ({ pk: `LOCALACCOUNT#${email.toLowerCase()}`, sk: 'ACCOUNT' }),

  /** Contact profile. */
  contact: (contactId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: 'PROFILE' }),
  /** Uniqueness guard: one contact per shop user id. */
  contactByShopUser: (shopId: string, shopUserId: string): Key => ({
    pk: `SHOPUSER#${shopId}#${shopUserId}`,
    sk: 'CONTACT',
  }),

  /** WebSocket connection record (TTL). */
  connection: (connectionId: string): Key => ({ pk: `CONN#${connectionId}`, sk: 'CONN' }),
  /** Connections listening to a topic (a conversation, the staff inbox), in gsi1. */
  connectionTopic: (topic: string, connectionId: string) => ({ gsi1pk: `TOPIC#${topic}`, gsi1sk: connectionId }),
  topicPartition: (topic: string) => ({ gsi1pk: `TOPIC#${topic}` }),

  /** Processed shop event (idempotency and ordering guard). */
  shopEvent: (eventId: string): Key => ({ pk: `SHOPEVENT#${eventId}`, sk: 'EVENT' }),
  /** Order by the shop's order id. */
  order: (orderId: string): Key => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  /** A contact's orders by date, in gsi1. */
  orderOfContact: (contactId: string, placedAt: string, orderId: string) => ({
    gsi1pk: `CONTACT#${contactId}#ORDERS`,
    gsi1sk: `${ts(placedAt)}#${orderId}`,
  }),

  /** Conversation (chat thread) header. */
  conversation: (conversationId: string): Key => ({ pk: `CONV#${conversationId}`, sk: 'CONV' }),
  /** A contact's conversations by creation, in gsi1. */
  conversationOfContact: (contactId: string, createdAt: string, conversationId: string) => ({
    gsi1pk: `CONTACT#${contactId}#CONVS`,
    gsi1sk: `${createdAt}#${conversationId}`,
  }),
  contactConversationsPartition: (contactId: string) => ({ gsi1pk: `CONTACT#${contactId}#CONVS` }),
  /** Inbox by status, newest activity last, in gsi2. */
  conversationByStatus: (status: string, lastMessageAt: string, conversationId: string) => ({
    gsi2pk: `CONVS#${status}`,
    gsi2sk: `${lastMessageAt}#${conversationId}`,
  }),
  statusPartition: (status: string) => ({ gsi2pk: `CONVS#${status}` }),
  /** Inbox by assignee (`none` = unassigned) and status, in gsi3. */
  conversationByAssignee: (assignee: string | undefined, status: string, lastMessageAt: string, conversationId: string) => ({
    gsi3pk: `ASSIGNEE#${assignee ?? 'none'}`,
    gsi3sk: `${status}#${lastMessageAt}#${conversationId}`,
  }),
  assigneePartition: (assignee: string | undefined) => ({ gsi3pk: `ASSIGNEE#${assignee ?? 'none'}` }),
  /** A message in its conversation; message ids sort by time, so a Query pages the thread in order. */
  message: (conversationId: string, messageId: string): Key => ({ pk: `CONV#${conversationId}`, sk: `MSG#${messageId}` }),
  messagePrefix: () => 'MSG#',
  /** De-duplication guard for a client message id within a conversation. */
  clientMessage: (conversationId: string, clientMessageId: string): Key => ({
    pk: `CONV#${conversationId}`,
    sk: `CMID#${clientMessageId}`,
  }),
  /** De-duplication guard for a conversation started with a client message id. */
  clientConversation: (contactId: string, clientMessageId: string): Key => ({
    pk: `CONTACT#${contactId}`,
    sk: `CMID#${clientMessageId}`,
  }),
  /** Staff presence (online / away). */
  presence: (sub: string): Key => ({ pk: 'PRESENCE', sk: `STAFF#${sub}` }),
  presencePartition: () => 'PRESENCE',

  /** Knowledge-base article (current version). */
  article: (articleId: string): Key => ({ pk: `ARTICLE#${articleId}`, sk: 'CURRENT' }),
  /** Every saved version of an article. */
  articleVersion: (articleId: string, version: number): Key => ({ pk: `ARTICLE#${articleId}`, sk: `V#${String(version).padStart(6, '0')}` }),
  /** Articles by status and language, in gsi1. */
  articleListing: (status: string, lang: string, articleId: string) => ({ gsi1pk: `ARTICLES#${status}#${lang}`, gsi1sk: articleId }),
  /** Pointer to the published search index version. */
  kbIndexPointer: (): Key => ({ pk: 'KBINDEX', sk: 'CURRENT' }),
  /** One gzipped chunk of a published index version. */
  kbIndexChunk: (version: string, i: number): Key => ({ pk: `KBINDEX#${version}`, sk: `CHUNK#${String(i).padStart(4, '0')}` }),

  /** Rate-limit window counter (TTL). */
  rateWindow: (bucket: string, windowStart: number): Key => ({ pk: `RATE#${bucket}`, sk: `W#${windowStart}` }),

  /** Powertools idempotency records share the table under this partition prefix. */
  idempotencyPartition: (functionName: string) => `IDEMPOTENCY#${functionName}`,
};
