/**
 * Every key shape of the single table is built here and nowhere else.
 * The access pattern each one serves is listed in docs/data-model.md.
 */

export interface Key {
  pk: string;
  sk: string;
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

  /** Uniqueness guard: one contact per email (lower-cased), written with the profile change. */
  contactByEmail: (email: string): Key => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'CONTACT' }),
  /** Timeline of a contact (360 view): tier changes and other member events. */
  contactTimeline: (contactId: string, at: string, eventId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: `EVENT#${at}#${eventId}` }),
  contactTimelinePrefix: () => 'EVENT#',
  /** Members by tier with their next review date, in gsi3 (the tier review reads `reviewAt <= now`). */
  memberOfTier: (tierId: string, reviewAt: string, contactId: string) => ({ gsi3pk: `TIER#${tierId}`, gsi3sk: `${reviewAt}#${contactId}` }),
  tierPartition: (tierId: string) => ({ gsi3pk: `TIER#${tierId}` }),
  /** Points ledger entry (append-only), newest last. */
  pointsEntry: (contactId: string, at: string, entryId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: `POINTS#${at}#${entryId}` }),
  pointsEntryPrefix: () => 'POINTS#',
  /** Ledger idempotency by source (`order#{id}#earn`, `adjust#{key}`…), written in the entry's transaction. */
  pointsSource: (sourceId: string): Key => ({ pk: `POINTSRC#${sourceId}`, sk: 'POINTS' }),
  /** An earned lot with points not yet spent or expired, oldest expiry first; deleted when empty. */
  pointsLot: (contactId: string, expiresAt: string, lotId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: `PTLOT#${expiresAt}#${lotId}` }),
  pointsLotPrefix: () => 'PTLOT#',
  /** Open lots by expiry in gsi2, sharded over a few partitions (the expiry job reads `expiresAt <= now` per shard). */
  pointsExpiry: (shard: number, expiresAt: string, contactId: string, lotId: string) => ({
    gsi2pk: `POINTSEXP#${shard}`,
    gsi2sk: `${expiresAt}#${contactId}#${lotId}`,
  }),
  pointsExpiryPartition: (shard: number) => ({ gsi2pk: `POINTSEXP#${shard}` }),
  /** Loyalty configuration: tier definitions and program settings. */
  tierDef: (tierId: string): Key => ({ pk: 'CONFIG', sk: `TIER#${tierId}` }),
  tierDefPrefix: () => 'TIER#',
  loyaltySettings: (): Key => ({ pk: 'CONFIG', sk: 'LOYALTY' }),
  /** Domain event for webhooks (outbox); undelivered events are listed in gsi1 until a dispatcher clears it. */
  outboxEvent: (eventId: string): Key => ({ pk: `OUTBOX#${eventId}`, sk: 'EVENT' }),
  outboxPending: (at: string, eventId: string) => ({ gsi1pk: 'OUTBOX#PENDING', gsi1sk: `${at}#${eventId}` }),
  outboxPendingPartition: () => ({ gsi1pk: 'OUTBOX#PENDING' }),
  /** One outbound webhook delivery (attempts, last status); newest first for admins in gsi1. */
  webhookDelivery: (deliveryId: string): Key => ({ pk: `WEBHOOK#${deliveryId}`, sk: 'DELIVERY' }),
  webhookDeliveryListing: (at: string, deliveryId: string) => ({ gsi1pk: 'WEBHOOKS', gsi1sk: `${at}#${deliveryId}` }),
  webhookDeliveriesPartition: () => ({ gsi1pk: 'WEBHOOKS' }),
  /** A privacy task (export or erasure of one contact) with its state; a contact's tasks in gsi1. */
  privacyTask: (taskId: string): Key => ({ pk: `PRIVACY#${taskId}`, sk: 'TASK' }),
  privacyTaskOfContact: (contactId: string, createdAt: string, taskId: string) => ({
    gsi1pk: `CONTACT#${contactId}#PRIVACY`,
    gsi1sk: `${createdAt}#${taskId}`,
  }),
  /** A care-message date of a contact (birthday, membership anniversary, a delivery, a first order), indexed by rule and day in gsi2. */
  careDate: (contactId: string, rule: string, ref: string): Key => ({ pk: `CONTACT#${contactId}`, sk: `CAREDATE#${rule}#${ref}` }),
  careDateIndex: (rule: string, day: string, contactId: string, ref: string) => ({ gsi2pk: `CAREDAY#${rule}#${day}`, gsi2sk: `${contactId}#${ref}` }),
  careDatePrefix: () => 'CAREDATE#',
  /** A merged contact's redirect to the contact it was merged into. */
  mergedRedirect: (contactId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: 'MERGED' }),
  /** Attachments-bucket object of an export bundle (never under `attachments/`). */
  exportObject: (taskId: string) => `exports/${taskId}.json`,
  /**
   * Access log of personal data (append-only, TTL): a contact's entries by time; a staff member's in
   * gsi1 and one day's in gsi2 (admins search by staff member, by contact, or browse a day).
   */
  accessEntry: (contactId: string, at: string, entryId: string): Key => ({ pk: `ACCESSLOG#${contactId}`, sk: `${at}#${entryId}` }),
  accessEntryByStaff: (sub: string, at: string, entryId: string) => ({ gsi1pk: `ACCESSBY#${sub}`, gsi1sk: `${at}#${entryId}` }),
  accessEntryByDay: (day: string, at: string, entryId: string) => ({ gsi2pk: `ACCESSDAY#${day}`, gsi2sk: `${at}#${entryId}` }),
  accessLogPartition: (contactId: string) => `ACCESSLOG#${contactId}`,
  accessByStaffPartition: (sub: string) => ({ gsi1pk: `ACCESSBY#${sub}` }),
  accessDayPartition: (day: string) => ({ gsi2pk: `ACCESSDAY#${day}` }),
  /** How long access-log entries are kept (admin setting, versioned). */
  accessLogSettings: (): Key => ({ pk: 'CONFIG', sk: 'ACCESSLOG' }),
  /** One view (person, contact, kind) in one 5-minute window: written with its entry, so a repeat is not logged twice (TTL). */
  accessViewGuard: (viewKey: string): Key => ({ pk: `ACCESSVIEW#${viewKey}`, sk: 'GUARD' }),

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
    ...keys.contactOrdersPartition(contactId),
    gsi1sk: `${placedAt}#${orderId}`, // ISO 8601 sorts as text
  }),
  contactOrdersPartition: (contactId: string) => ({ gsi1pk: `CONTACT#${contactId}#ORDERS` }),
  /** A shipment (one tracking number of an order) next to its order: carrier, latest trace step, 催单 stage. */
  shipment: (orderId: string, trackingNumber: string): Key => ({ pk: `ORDER#${orderId}`, sk: `SHIPMENT#${trackingNumber}` }),
  shipmentPrefix: () => 'SHIPMENT#',
  /** One trace step of a shipment, oldest first (the event id makes a repeat a no-op). */
  shipmentTrace: (orderId: string, trackingNumber: string, at: string, eventId: string): Key => ({
    pk: `ORDER#${orderId}`,
    sk: `TRACE#${trackingNumber}#${at}#${eventId}`,
  }),
  shipmentTracePrefix: (trackingNumber: string) => `TRACE#${trackingNumber}#`,
  /** Every trace line of an order's parcels. */
  shipmentTracesPrefix: () => 'TRACE#',
  /** A contact's shipments by first step, in gsi1 (the bot, the 360 and macros read the newest). */
  shipmentOfContact: (contactId: string, shippedAt: string, orderId: string, trackingNumber: string) => ({
    gsi1pk: `CONTACT#${contactId}#SHIPMENTS`,
    gsi1sk: `${shippedAt}#${orderId}#${trackingNumber}`,
  }),
  contactShipmentsPartition: (contactId: string) => ({ gsi1pk: `CONTACT#${contactId}#SHIPMENTS` }),
  /** Undelivered shipments by their last trace step, in gsi2 over a few shards (the 催单 job reads the quiet ones). */
  shipmentWatch: (shard: number, lastTraceAt: string, orderId: string, trackingNumber: string) => ({
    gsi2pk: `LGSTALL#${shard}`,
    gsi2sk: `${lastTraceAt}#${orderId}#${trackingNumber}`,
  }),
  shipmentWatchPartition: (shard: number) => ({ gsi2pk: `LGSTALL#${shard}` }),
  /** A paid order not shipped yet (deleted when it ships), by payment time in gsi2 (the 催单 job reads the late ones). */
  dispatchWatch: (orderId: string): Key => ({ pk: `ORDER#${orderId}`, sk: 'DISPATCH' }),
  dispatchWatchIndex: (shard: number, paidAt: string, orderId: string) => ({ gsi2pk: `LGDISPATCH#${shard}`, gsi2sk: `${paidAt}#${orderId}` }),
  dispatchWatchPartition: (shard: number) => ({ gsi2pk: `LGDISPATCH#${shard}` }),
  /** The 催单 ticket of one stall (claimed before the ticket is created, its id written back). */
  stallTicket: (stallKey: string): Key => ({ pk: `LGTICKET#${stallKey}`, sk: 'TICKET' }),
  /** 催单 thresholds (versioned). */
  logisticsSettings: (): Key => ({ pk: 'CONFIG', sk: 'LOGISTICS' }),
  /** An after-sales request (售后), linked to its ticket both ways (`ticketId` here, `aftersales_request` on the ticket). */
  aftersalesRequest: (requestId: string): Key => ({ pk: `AFTERSALES#${requestId}`, sk: 'REQUEST' }),
  /** A contact's after-sales requests, newest last, in gsi1 (the widget's "my requests", the bot). */
  aftersalesOfContact: (contactId: string, createdAt: string, requestId: string) => ({
    gsi1pk: `CONTACT#${contactId}#AFTERSALES`,
    gsi1sk: `${createdAt}#${requestId}`,
  }),
  aftersalesOfContactPartition: (contactId: string) => ({ gsi1pk: `CONTACT#${contactId}#AFTERSALES` }),
  /** The one open after-sales request of an order (claimed on creation, deleted when it completes or is rejected). */
  aftersalesOpen: (orderId: string): Key => ({ pk: `ORDER#${orderId}`, sk: 'AFTERSALES#OPEN' }),
  /** A completed refund the shop reported (its event id makes a repeat change nothing). */
  aftersalesRefund: (orderId: string, eventId: string): Key => ({ pk: `ORDER#${orderId}`, sk: `REFUND#${eventId}` }),
  /** After-sales rules of the shop (return window, excluded categories); defaults when absent. */
  aftersalesSettings: (): Key => ({ pk: 'CONFIG', sk: 'AFTERSALES' }),
  /** A coupon pool (value, threshold, expiry, codes imported); pools listed newest first in gsi1. */
  couponPool: (poolId: string): Key => ({ pk: `COUPONPOOL#${poolId}`, sk: 'POOL' }),
  couponPoolListing: (createdAt: string, poolId: string) => ({ gsi1pk: 'COUPONPOOLS', gsi1sk: `${createdAt}#${poolId}` }),
  couponPoolsPartition: () => ({ gsi1pk: 'COUPONPOOLS' }),
  /** Claimed-code counter of a pool, sharded (claims add to a random shard; stock sums them). */
  couponCounter: (poolId: string, shard: number): Key => ({ pk: `COUPONPOOL#${poolId}`, sk: `COUNT#${shard}` }),
  couponCounterPrefix: () => 'COUNT#',
  /** One code (its own partition: claims spread); while unclaimed it is listed in gsi1 over shards in random order. */
  couponCode: (poolId: string, code: string): Key => ({ pk: `COUPON#${poolId}#${code}`, sk: 'CODE' }),
  couponFree: (poolId: string, shard: number, slot: string, code: string) => ({ gsi1pk: `COUPONFREE#${poolId}#${shard}`, gsi1sk: `${slot}#${code}` }),
  couponFreePartition: (poolId: string, shard: number) => ({ gsi1pk: `COUPONFREE#${poolId}#${shard}` }),
  /** Who got which code of a pool (`campaign#{id}#{contactId}`, …): a repeated claim gets the same code. */
  couponClaim: (poolId: string, claimKey: string): Key => ({ pk: `COUPONCLAIM#${poolId}#${claimKey}`, sk: 'CLAIM' }),
  /**
   * What a campaign gave one member stands under (not a table key): the source id of its bonus points
   * and the claim key of its coupon code. `campaignOfMember` reads it back.
   */
  campaignMember: (campaignId: string, contactId: string): string => `campaign#${campaignId}#${contactId}`,
  campaignOfMember: (ref: string): { campaignId: string; contactId: string } | undefined => {
    const match = /^campaign#([^#]+)#([^#]+)$/.exec(ref);
    return match ? { campaignId: match[1]!, contactId: match[2]! } : undefined;
  },

  /** Conversation (chat thread) header. */
  conversation: (conversationId: string): Key => ({ pk: `CONV#${conversationId}`, sk: 'CONV' }),
  /** How far one side (agent / visitor) has read, beside the header: a receipt rewrites no header and no index. */
  conversationRead: (conversationId: string, side: 'agent' | 'visitor'): Key => ({ pk: `CONV#${conversationId}`, sk: `CONV#READ#${side}` }),
  /** The sort-key prefix that reads a header with its read markers in one Query. */
  conversationHeaderPrefix: () => 'CONV',
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
  /** Bot learning from use: a shop's query → article votes under one canonical query key. */
  kbLearned: (shopId: string, queryKey: string): Key => ({ pk: `KBLEARN#${shopId}`, sk: `Q#${queryKey}` }),
  /** Bot learning from use: one shopper's votes on one day (rate limit; expires by TTL). */
  kbLearnRate: (shopId: string, shopper: string, day: string): Key => ({ pk: `KBLEARN#${shopId}`, sk: `RATE#${shopper}#${day}` }),
  /** Semantic retrieval: one article version's embedding under one embeddings model (written lazily; expires by TTL). */
  articleVector: (articleId: string, version: number, model: string): Key => ({
    pk: `ARTVEC#${articleId}`,
    sk: `${model}#V#${String(version).padStart(6, '0')}`,
  }),

  /** Event counters of one scope (bot, agent#sub, team#id, …) on one day. */
  metric: (scope: string, day: string): Key => ({ pk: `METRIC#${scope}#${day}`, sk: 'COUNTS' }),

  /** Ticket header. */
  ticket: (ticketId: string): Key => ({ pk: `TICKET#${ticketId}`, sk: 'TICKET' }),
  /** SLA clock of one metric of a ticket (timer state: timerVersion, dueAt, warned/breached). */
  ticketSla: (ticketId: string, metric: string): Key => ({ pk: `TICKET#${ticketId}`, sk: `SLA#${metric}` }),
  /** Header + SLA clocks in one Query: `sk BETWEEN from AND to` ('SLA#…' < 'TICKET'). */
  ticketStateRange: (ticketId: string) => ({ pk: `TICKET#${ticketId}`, from: 'SLA#', to: 'TICKET' }),
  /** Append-only audit entry of a ticket, oldest first. */
  ticketAudit: (ticketId: string, at: string, auditId: string): Key => ({ pk: `TICKET#${ticketId}`, sk: `AUDIT#${at}#${auditId}` }),
  ticketAuditPrefix: () => 'AUDIT#',
  /** Tickets by assignee (`none` = unassigned) and status, in gsi3 (shared with conversations; `T#` prefix). */
  ticketByAssignee: (assignee: string | undefined, status: string, updatedAt: string, ticketId: string) => ({
    gsi3pk: `ASSIGNEE#${assignee ?? 'none'}`,
    gsi3sk: `T#${status}#${updatedAt}#${ticketId}`,
  }),
  ticketAssigneePrefix: (status?: string) => (status ? `T#${status}#` : 'T#'),
  /** A team's waiting tickets, most urgent then oldest first, in gsi2 (only while waiting). */
  teamQueue: (team: string, priorityRank: number, createdAt: string, ticketId: string) => ({
    gsi2pk: `TEAMQ#${team}`,
    gsi2sk: `${priorityRank}#${createdAt}#${ticketId}`,
  }),
  teamQueuePartition: (team: string) => ({ gsi2pk: `TEAMQ#${team}` }),
  /** A running SLA clock by due date, in gsi2 (on the clock item; only while running). */
  slaDue: (dueDate: string, dueAt: string, ticketId: string, metric: string) => ({
    gsi2pk: `SLA#${dueDate}`,
    gsi2sk: `${dueAt}#${ticketId}#${metric}`,
  }),
  slaDuePartition: (dueDate: string) => ({ gsi2pk: `SLA#${dueDate}` }),
  /** Email threading: a Message-ID seen or sent on a ticket (`role` opened/reply/sent); the claim makes intake idempotent. */
  mailId: (messageId: string): Key => ({ pk: `MAILID#${messageId}`, sk: 'TICKET' }),
  /** Email thread state of a ticket (Message-IDs for References, the last inbound one for In-Reply-To). */
  ticketMail: (ticketId: string): Key => ({ pk: `TICKET#${ticketId}`, sk: 'MAIL' }),
  /** Write-time search term of a ticket (sk sorts before `SLA#`, outside the state range; `w:{word}`, `tag:{tag}`, `email:{email}`), in gsi1 `TOKEN#{term}` / `{ticketId}`. */
  ticketTerm: (ticketId: string, term: string) => ({ pk: `TICKET#${ticketId}`, sk: `IDX#${term}`, gsi1pk: `TOKEN#${term}`, gsi1sk: ticketId }),
  termPartition: (term: string) => ({ gsi1pk: `TOKEN#${term}` }),
  /** Macro (canned reply): `owner` is `shared` or the staff subject of a personal macro. */
  macro: (owner: string, macroId: string): Key => ({ pk: `MACROS#${owner}`, sk: `MACRO#${macroId}` }),
  macroPartition: (owner: string) => `MACROS#${owner}`,
  /** A contact's tickets by creation, in gsi1. */
  ticketOfContact: (contactId: string, createdAt: string, ticketId: string) => ({
    gsi1pk: `CONTACT#${contactId}#TICKETS`,
    gsi1sk: `${createdAt}#${ticketId}`,
  }),
  contactTicketsPartition: (contactId: string) => ({ gsi1pk: `CONTACT#${contactId}#TICKETS` }),
  /** Ticket configuration: one Query on `CONFIG` with the prefixes below reads it all. */
  routingRule: (order: number, ruleId: string): Key => ({ pk: 'CONFIG', sk: `RULE#${String(order).padStart(4, '0')}#${ruleId}` }),
  routingRulePrefix: () => 'RULE#',
  team: (teamId: string): Key => ({ pk: 'CONFIG', sk: `TEAM#${teamId}` }),
  teamPrefix: () => 'TEAM#',
  slaPolicy: (policyId: string, version: number): Key => ({ pk: 'CONFIG', sk: `SLAPOLICY#${policyId}#v${String(version).padStart(6, '0')}` }),
  slaPolicyPrefix: (policyId?: string) => (policyId ? `SLAPOLICY#${policyId}#v` : 'SLAPOLICY#'),
  calendar: (calendarId: string): Key => ({ pk: 'CONFIG', sk: `CALENDAR#${calendarId}` }),
  calendarPrefix: () => 'CALENDAR#',
  configPartition: () => 'CONFIG',
  /** An agent's open-ticket load against their capacity, updated in the assignment transaction. */
  agentLoad: (sub: string): Key => ({ pk: `STAFF#${sub}`, sk: 'LOAD' }),

  /** A contact's survey opt-out (service surveys, separate from marketing consent); its absence means surveys are allowed. */
  surveyOptOut: (contactId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: 'SVOPTOUT' }),
  /** Survey points credited to a contact in one period (cap on incentives; ids of the surveys rewarded). */
  surveyPointsWindow: (contactId: string, period: string): Key => ({ pk: `CONTACT#${contactId}`, sk: `SVPTS#${period}` }),
  /** Survey instance, its response and its detractor follow-up live in one partition. */
  survey: (surveyId: string): Key => ({ pk: `SURVEY#${surveyId}`, sk: 'SURVEY' }),
  surveyResponse: (surveyId: string): Key => ({ pk: `SURVEY#${surveyId}`, sk: 'RESPONSE' }),
  surveyFollowUp: (surveyId: string): Key => ({ pk: `SURVEY#${surveyId}`, sk: 'FOLLOWUP' }),
  /** A survey requested by a trigger and not yet delivered (the outbox row of its delayed SQS message). */
  surveyRequest: (surveyId: string): Key => ({ pk: `SURVEY#${surveyId}`, sk: 'REQUEST' }),
  /** Pending survey requests by due time, in gsi2, over 8 shards (the sweep reads those past due). */
  surveyRequestDue: (shard: number, dueAt: string, surveyId: string) => ({ gsi2pk: `SURVEYDUE#${shard}`, gsi2sk: `${dueAt}#${surveyId}` }),
  surveyRequestDuePartition: (shard: number) => ({ gsi2pk: `SURVEYDUE#${shard}` }),
  /** A contact's surveys by send time, in gsi1 (pending surveys of the widget). */
  surveyOfContact: (contactId: string, sentAt: string, surveyId: string) => ({ gsi1pk: `CONTACT#${contactId}#SURVEYS`, gsi1sk: `${sentAt}#${surveyId}` }),
  contactSurveysPartition: (contactId: string) => ({ gsi1pk: `CONTACT#${contactId}#SURVEYS` }),
  /** Follow-ups by status for team leads, oldest first, in gsi2. */
  followUpQueue: (status: string, createdAt: string, surveyId: string) => ({ gsi2pk: `FOLLOWUPS#${status}`, gsi2sk: `${createdAt}#${surveyId}` }),
  followUpQueuePartition: (status: string) => ({ gsi2pk: `FOLLOWUPS#${status}` }),
  /** A contact's follow-ups by status, in gsi1 (open complaints suppress surveys). */
  followUpOfContact: (contactId: string, status: string, createdAt: string, surveyId: string) => ({
    gsi1pk: `CONTACT#${contactId}#FOLLOWUPS`,
    gsi1sk: `${status}#${createdAt}#${surveyId}`,
  }),
  contactFollowUpsPartition: (contactId: string) => ({ gsi1pk: `CONTACT#${contactId}#FOLLOWUPS` }),
  /** Survey settings and admin-defined survey definitions (one Query reads them all). */
  surveySettings: (): Key => ({ pk: 'SURVEYCONFIG', sk: 'SETTINGS' }),
  surveyDefinition: (definitionId: string): Key => ({ pk: 'SURVEYCONFIG', sk: `DEF#${definitionId}` }),
  surveyConfigPartition: () => 'SURVEYCONFIG',
  surveyDefinitionPrefix: () => 'DEF#',
  /** Quality state of one conversation (first reply, resolutions, reopens, paused time), next to its header. */
  conversationQuality: (conversationId: string): Key => ({ pk: `CONV#${conversationId}`, sk: 'QUALITY' }),
  /** Quality counters and histograms of one scope (all, agent#sub, channel#c, category#c) on one day; a period is one Query. */
  qualityDay: (scope: string, day: string): Key => ({ pk: `QUALITY#${scope}`, sk: `DAY#${day}` }),
  qualityDayRange: (scope: string, from: string, to: string) => ({ pk: `QUALITY#${scope}`, from: `DAY#${from}`, to: `DAY#${to}` }),
  /** Running gauges of one scope (open backlog). */
  qualityGauge: (scope: string): Key => ({ pk: `QUALITY#${scope}`, sk: 'GAUGE' }),
  /** Drill-down: the conversations behind one metric on one day (TTL). */
  qualityFact: (day: string, metric: string, at: string, id: string): Key => ({ pk: `QFACT#${day}#${metric}`, sk: `${at}#${id}` }),
  qualityFactPartition: (day: string, metric: string) => `QFACT#${day}#${metric}`,
  /** Daily quality digest. */
  qualityDigest: (day: string): Key => ({ pk: `DIGEST#${day}`, sk: 'DIGEST' }),
  /** Quality inspection (质检): settings, each team's current scorecard and its versions, the sweep's cursors (one small partition). */
  inspectionConfigPartition: () => 'QACONFIG',
  inspectionSettings: (): Key => ({ pk: 'QACONFIG', sk: 'SETTINGS' }),
  inspectionRubric: (teamId: string): Key => ({ pk: 'QACONFIG', sk: `RUBRIC#${teamId}` }),
  inspectionRubricVersion: (teamId: string, version: number): Key => ({ pk: 'QACONFIG', sk: `RUBRICV#${teamId}#${String(version).padStart(6, '0')}` }),
  inspectionCursor: (source: string, day: string): Key => ({ pk: 'QACONFIG', sk: `CURSOR#${source}#${day}` }),
  /** A conversation waiting for its automatic inspection (written on the reply path; the sweep deletes it), over 8 shards. */
  inspectionPending: (shard: number, conversationId: string): Key => ({ pk: `QAPENDING#${shard}`, sk: conversationId }),
  inspectionPendingPartition: (shard: number) => `QAPENDING#${shard}`,
  /** The automatic inspection result of a conversation, next to its header. */
  conversationInspection: (conversationId: string): Key => ({ pk: `CONV#${conversationId}`, sk: 'INSPECTION' }),
  /** A conversation in the review sample of a shop day (the supervisor's list: one Query per day). */
  inspectionSample: (day: string, conversationId: string): Key => ({ pk: `QASAMPLE#${day}`, sk: conversationId }),
  inspectionSamplePartition: (day: string) => `QASAMPLE#${day}`,
  /** The same sample entry under its agent, newest day first, in gsi1 (the agent's own results). */
  inspectionOfAgent: (sub: string, day: string, conversationId: string) => ({ gsi1pk: `QAAGENT#${sub}`, gsi1sk: `${day}#${conversationId}` }),
  inspectionOfAgentPartition: (sub: string) => `QAAGENT#${sub}`,
  /** Scenario training (情景模拟): the scenario library (one small partition) and each agent's practice sessions. */
  trainingScenario: (scenarioId: string): Key => ({ pk: 'QATRAIN', sk: `SCENARIO#${scenarioId}` }),
  trainingScenarioPartition: () => 'QATRAIN',
  trainingSession: (sub: string, sessionId: string): Key => ({ pk: `TRAINING#${sub}`, sk: `SESSION#${sessionId}` }),
  /** A finished practice's result in the agent's partition (newest last by sk), also in gsi1 (shop-wide log) and gsi2 (the team's log). */
  trainingResult: (sub: string, finishedAt: string, sessionId: string): Key => ({ pk: `TRAINING#${sub}`, sk: `RESULT#${finishedAt}#${sessionId}` }),
  trainingResultPrefix: () => 'RESULT#',
  trainingAgentPartition: (sub: string) => `TRAINING#${sub}`,
  trainingResultLog: (teamId: string, finishedAt: string, sessionId: string) => ({
    gsi1pk: 'QATRAINLOG',
    gsi1sk: `${finishedAt}#${sessionId}`,
    gsi2pk: `QATRAINTEAM#${teamId}`,
    gsi2sk: `${finishedAt}#${sessionId}`,
  }),
  trainingResultLogPartition: () => 'QATRAINLOG',
  trainingResultTeamPartition: (teamId: string) => `QATRAINTEAM#${teamId}`,

  /** Rate-limit window counter (TTL). */
  rateWindow: (bucket: string, windowStart: number): Key => ({ pk: `RATE#${bucket}`, sk: `W#${windowStart}` }),

  /** Churn early-warning list in gsi2 (on the contact profile): highest risk first within a level. */
  churnListing: (level: string, risk: number, contactId: string) => ({
    gsi2pk: `CHURN#${level}`,
    gsi2sk: `${String(Math.round((1 - Math.min(1, Math.max(0, risk))) * 10000)).padStart(5, '0')}#${contactId}`,
  }),
  churnPartition: (level: string) => ({ gsi2pk: `CHURN#${level}` }),
  /** Churn risk thresholds set by marketing (versioned). */
  churnSettings: (): Key => ({ pk: 'CONFIG', sk: 'CHURN' }),
  /** Shop-wide medians the per-contact churn score compares against (written by the daily run). */
  churnReference: (): Key => ({ pk: 'CONFIG', sk: 'CHURNREF' }),
  /** Progress of the daily churn rescore run (resumable cursor). */
  churnRun: (): Key => ({ pk: 'CONFIG', sk: 'CHURNRUN' }),
  /** The active churn model and its card (backtest AUC, deciles), written by the daily refit. */
  churnModel: (): Key => ({ pk: 'CONFIG', sk: 'CHURNMODEL' }),
  /** Cohort retention, repurchase rate and churn-reason counts, precomputed by the daily run. */
  churnRetention: (): Key => ({ pk: 'CONFIG', sk: 'CHURNRETENTION' }),
  /** Purchase histories gathered by one day's churn run for the refit (TTL); one partition per day. */
  churnFitChunk: (day: string, seq: number): Key => ({ pk: `CHURNFIT#${day}`, sk: `CHUNK#${String(seq).padStart(6, '0')}` }),
  churnFitPartition: (day: string) => `CHURNFIT#${day}`,
  /** Per-contact contact-frequency cap shared by campaigns, care and survey messages. */
  contactCap: (contactId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: 'CAP' }),
  /** Consent log of a contact (append-only). */
  consentLog: (contactId: string, at: string, channel: string): Key => ({ pk: `CONTACT#${contactId}`, sk: `CONSENT#${at}#${channel}` }),
  consentLogPrefix: () => 'CONSENT#',
  /** A campaign message the widget shows (one per campaign per contact; ids sort by time). */
  campaignMessage: (contactId: string, campaignId: string): Key => ({ pk: `CONTACT#${contactId}`, sk: `CMSG#${campaignId}` }),
  campaignMessagePrefix: () => 'CMSG#',
  /** Segment definition; all segments listed through gsi1. */
  segment: (segmentId: string): Key => ({ pk: `SEGMENT#${segmentId}`, sk: 'SEGMENT' }),
  segmentListing: (name: string, segmentId: string) => ({ gsi1pk: 'SEGMENTS', gsi1sk: `${name.toLowerCase()}#${segmentId}` }),
  segmentsPartition: () => ({ gsi1pk: 'SEGMENTS' }),
  /** Campaign header (status, cursor, queued count); listed newest first in gsi1, by status and due time in gsi2. */
  campaign: (campaignId: string): Key => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'CAMPAIGN' }),
  campaignListing: (createdAt: string, campaignId: string) => ({ gsi1pk: 'CAMPAIGNS', gsi1sk: `${createdAt}#${campaignId}` }),
  campaignsPartition: () => ({ gsi1pk: 'CAMPAIGNS' }),
  campaignByStatus: (status: string, dueAt: string, campaignId: string) => ({ gsi2pk: `CAMPAIGNS#${status}`, gsi2sk: `${dueAt}#${campaignId}` }),
  campaignStatusPartition: (status: string) => ({ gsi2pk: `CAMPAIGNS#${status}` }),
  /** One send per member (exactly-once guard and outcome: sent, holdout, suppressed, failed). */
  campaignSend: (campaignId: string, contactId: string): Key => ({ pk: `CAMPAIGN#${campaignId}`, sk: `SEND#${contactId}` }),
  campaignSendPrefix: () => 'SEND#',
  /** Sharded progress counters of a campaign (spread over items so sends do not contend on one). */
  campaignCounter: (campaignId: string, shard: number): Key => ({ pk: `CAMPAIGN#${campaignId}`, sk: `COUNT#${String(shard).padStart(2, '0')}` }),
  campaignCounterPrefix: () => 'COUNT#',
  /**
   * A send batch of a campaign from the moment the fan-out decides it until every member in it has
   * an outcome (the outbox row of its `campaign-sends` message; deleted when done, TTL as a backstop).
   */
  campaignBatch: (campaignId: string, batchId: string): Key => ({ pk: `CAMPAIGN#${campaignId}`, sk: `BATCH#${batchId}` }),
  campaignBatchPrefix: () => 'BATCH#',
  /** A campaign's open batches by the time they are presumed lost, in gsi1 (the tick re-queues those past it). */
  campaignBatchDue: (campaignId: string, dueAt: string, batchId: string) => ({ gsi1pk: `CAMPAIGN#${campaignId}#BATCHES`, gsi1sk: `${dueAt}#${batchId}` }),
  campaignBatchDuePartition: (campaignId: string) => ({ gsi1pk: `CAMPAIGN#${campaignId}#BATCHES` }),
  /** An address mail to which bounced for good: the sender sends it nothing more (suppression list). */
  emailSuppressed: (address: string): Key => ({ pk: `MAILSUPPRESS#${address.toLowerCase()}`, sk: 'ADDRESS' }),
  /** The suppression list newest first (gsi1) and by address for a prefix search (gsi2). */
  emailSuppressedListing: (at: string, address: string) => ({ gsi1pk: 'MAILSUPPRESSED', gsi1sk: `${at}#${address.toLowerCase()}` }),
  emailSuppressedPartition: () => ({ gsi1pk: 'MAILSUPPRESSED' }),
  emailSuppressedByAddress: (address: string) => ({ gsi2pk: 'MAILSUPPRESSED#ADDR', gsi2sk: address.toLowerCase() }),
  emailSuppressedByAddressPartition: () => ({ gsi2pk: 'MAILSUPPRESSED#ADDR' }),
  /** A bounce or complaint that suppressed an address (idempotency per source, TTL 30 days). */
  emailSuppressionSource: (address: string, source: string): Key => ({ pk: `MAILSUPPRESS#${address.toLowerCase()}`, sk: `SOURCE#${source}` }),
  /** Audit of an admin lifting a suppression (who, when, what). */
  emailSuppressionLift: (address: string, at: string): Key => ({ pk: `MAILSUPPRESS#${address.toLowerCase()}`, sk: `LIFT#${at}` }),
  /** Outgoing email (local outbox; a sender delivers pending ones, listed in gsi1). */
  emailOutbox: (messageId: string): Key => ({ pk: `EMAILOUT#${messageId}`, sk: 'EMAIL' }),
  emailOutboxPending: (at: string, messageId: string) => ({ gsi1pk: 'EMAILOUT#PENDING', gsi1sk: `${at}#${messageId}` }),
  emailOutboxPartition: () => ({ gsi1pk: 'EMAILOUT#PENDING' }),
  /**
   * An outbox email the sender should try at `dueAt` (first try, retry after backoff, or the end of a
   * claim's lease), in gsi2; removed once it is sent or has failed for good. gsi1 above stays: it is
   * the console's listing of every email, whatever its state.
   */
  emailOutboxDue: (dueAt: string, messageId: string) => ({ gsi2pk: 'EMAILOUT#DUE', gsi2sk: `${dueAt}#${messageId}` }),
  emailOutboxDuePartition: () => ({ gsi2pk: 'EMAILOUT#DUE' }),
  /** The email sender's watermark over the outbox listing (rows written by others are enrolled once). */
  emailSenderCursor: (): Key => ({ pk: 'EMAILSENDER', sk: 'CURSOR' }),
  /** A WeChat customer-service message already taken in, and the conversation it went to (callback retries and `sync_msg` repeats are no-ops). */
  wecomMessage: (msgId: string): Key => ({ pk: `WECOMMSG#${msgId}`, sk: 'MSG' }),
  /** A WeChat customer (external_userid, per service account): their contact and the conversation they are talking in now. */
  wecomCustomer: (openKfId: string, externalUserId: string): Key => ({ pk: `WECOM#${openKfId}#${externalUserId}`, sk: 'CUSTOMER' }),
  /** The `sync_msg` cursor of a WeChat customer-service account. */
  wecomCursor: (openKfId: string): Key => ({ pk: `WECOM#${openKfId}`, sk: 'CURSOR' }),
  /** The WeChat customer a `wechat` conversation talks to and their last message (the 48-hour reply window); beside the header, apart from `MSG#`. */
  wecomConversation: (conversationId: string): Key => ({ pk: `CONV#${conversationId}`, sk: 'WECOM' }),
  /** A bot or agent message sent (or to send) to a WeChat customer with `kf/send_msg` (state, platform msgid, last error). */
  wecomReply: (replyId: string): Key => ({ pk: `WECOMOUT#${replyId}`, sk: 'MSG' }),

  /** Powertools idempotency records share the table under this partition prefix. */
  idempotencyPartition: (functionName: string) => `IDEMPOTENCY#${functionName}`,
};
