/**
 * The ports the feedback domain runs on: the store (DynamoDB in functions, see store.ts), the clock,
 * pushes to a shopper's widget, the points ledger and the `surveys` queue.
 */
import type { FollowUp, SuppressReason, SurveyDefinition, SurveyInstance, SurveyResponse, SurveySettings } from './model.ts';

/** A survey request as it travels on the `surveys` queue (delayed by the settings' delay). */
export interface SurveyRequest {
  surveyId: string;
  /** Random per enqueue: the queue consumer's idempotency covers redelivery of one message only, so a second trigger reaches the conditional put. */
  requestId: string;
  trigger: SurveyInstance['trigger'];
  definitionId: string;
  contactId: string;
  conversationId?: string;
  ticketId?: string;
  agent?: string;
  channel?: string;
  category?: string;
}

/**
 * A survey request kept in the table from its trigger until it is delivered (the outbox row of its
 * delayed SQS message): the sweep delivers requests past due whose message never arrived.
 */
export interface PendingRequest {
  request: SurveyRequest;
  /** When the survey should go out (trigger time + delay). */
  dueAt: string;
  /** Failed sweep deliveries so far. */
  attempts: number;
}

export type CreateOutcome = 'created' | 'duplicate' | 'fatigue' | 'opt_out';
export type RewardSlot = 'claimed' | 'already' | 'capped';

export interface ResponseCommit {
  survey: SurveyInstance;
  response: SurveyResponse;
  /** The response replaced (edit): the write is conditional on its version. */
  prev?: SurveyResponse;
  /** Counter changes for the survey's scopes on the response's day. */
  counters: Record<string, number>;
  /** A follow-up to open (conditional: exactly one per survey). */
  followUp?: FollowUp;
}

export interface FeedbackStore {
  settings(): Promise<SurveySettings>;
  /** A definition by id: an admin-saved one, else a built-in. */
  definition(definitionId: string): Promise<SurveyDefinition | undefined>;
  getSurvey(surveyId: string): Promise<SurveyInstance | undefined>;
  getResponse(surveyId: string): Promise<SurveyResponse | undefined>;
  /** An open complaint of the contact (active complaint ticket or open survey follow-up). */
  hasOpenComplaint(contactId: string): Promise<boolean>;
  /**
   * Survey put (conditional: new id) + opt-out check + survey touch on the shared cap item
   * (conditional on its version, allowed by the fatigue rule) + sent counter, atomically.
   */
  createSurvey(survey: SurveyInstance, fatigueDays: number): Promise<CreateOutcome>;
  /** Records a survey that was deliberately not sent, and why (conditional: new id). */
  suppress(survey: SurveyInstance, reason: SuppressReason): Promise<boolean>;
  optedOut(contactId: string): Promise<boolean>;
  /** Response + survey status + counters (+ follow-up) in one transaction; false when a concurrent change won. */
  saveResponse(commit: ResponseCommit): Promise<boolean>;
  /** Reserves one of the contact's rewarded responses in a period (idempotent per survey). */
  claimRewardSlot(contactId: string, period: string, surveyId: string, max: number): Promise<RewardSlot>;
  contactVerified(contactId: string): Promise<boolean>;
  /** Keeps a triggered request until it is delivered (conditional: a request already pending keeps its due time). */
  recordRequest(request: SurveyRequest, dueAt: string): Promise<void>;
  /** Forgets a request once its survey exists (sent or suppressed) or can never be sent. */
  clearRequest(surveyId: string): Promise<void>;
  /** Pending requests of one sweep shard due by `until`, oldest first. */
  dueRequests(shard: number, until: string, limit: number): Promise<PendingRequest[]>;
  /** A sweep delivery failed: try again at `dueAt`, or (`dueAt` undefined) keep the request out of the sweep for good. */
  retryRequest(surveyId: string, attempts: number, dueAt: string | undefined): Promise<void>;
}

export interface EarnRequest {
  contactId: string;
  points: number;
  sourceId: string;
  at: string;
  reason: string;
}

export interface FeedbackPorts {
  store: FeedbackStore;
  now: () => Date;
  /** Pushes a frame to the contact's widget sockets. */
  push: (contactId: string, frame: unknown) => Promise<void>;
  /** Credits points once per source id (the members ledger). */
  earn: (req: EarnRequest) => Promise<'applied' | 'duplicate' | 'no_member' | 'refused'>;
  enqueue: (request: SurveyRequest, delaySeconds: number) => Promise<void>;
  /** Opens the follow-up's ticket once (tickets module); undefined when another call did or does. */
  followUpTicket: (survey: SurveyInstance, response: SurveyResponse, reasons: readonly string[]) => Promise<string | undefined>;
}
