/**
 * The light part of feedback that other modules' hooks load (chat functions bundle it): survey
 * ids derived from their trigger, the fatigue rule on the shared cap item, and requesting a survey
 * (kept in the table, then queued on the `surveys` queue). No comment analysis here, so chat
 * bundles stay small.
 */
import { createHash } from 'node:crypto';
import type { CapRule } from '#shared/campaigns/cap.ts';
import { feedbackNow } from './clock.ts';
import type { TriggerKind } from './model.ts';
import type { FeedbackPorts, SurveyRequest } from './ports.ts';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The survey id of a trigger: derived from the trigger and its source (conversation, ticket), so a
 * trigger delivered twice names the same survey and the conditional put lets only one through.
 */
export function surveyIdFor(trigger: TriggerKind, sourceId: string): string {
  const digest = createHash('sha256').update(`${trigger}:${sourceId}`).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += ALPHABET[(digest[i] ?? 0) % 32];
  return `svy_${out}`;
}

/**
 * The fatigue rule on the shared per-contact cap item (shared/campaigns/cap.ts): at most one survey
 * touch in `fatigueDays` days; none when the cap is off.
 */
export function fatigueRules(fatigueDays: number): CapRule[] {
  return fatigueDays > 0 ? [{ max: 1, windowHours: fatigueDays * 24, kinds: ['survey'] }] : [];
}

export interface TriggerInput {
  trigger: TriggerKind;
  /** What the survey is about, unique per trigger (conversation id, ticket id, a manual request id). */
  sourceId: string;
  contactId: string;
  conversationId?: string;
  ticketId?: string;
  agent?: string;
  channel?: string;
  category?: string;
  /** Manual sends may pick a definition; automatic triggers use the settings. */
  definitionId?: string;
}

/**
 * Requests a survey for a trigger: the request is kept in the table with its due time (trigger +
 * configured delay), then queued with that delay (SQS DelaySeconds ≤ 900) — the queue is the fast
 * path; the sweep (shared/feedback/sweep.ts) delivers a request whose message never arrives.
 * Returns the survey id, or undefined when surveys or this trigger are switched off. Safe to call
 * twice: the id is derived from the trigger, and delivery creates the survey only once.
 */
export async function requestSurvey(
  ports: Pick<FeedbackPorts, 'store' | 'enqueue'> & { now?: () => Date },
  input: TriggerInput,
  requestId: string,
): Promise<string | undefined> {
  const settings = await ports.store.settings();
  if (!settings.enabled) return undefined;
  const definitionId =
    input.trigger === 'manual' ? (input.definitionId ?? settings.triggers.conversation_resolved ?? 'csat') : settings.triggers[input.trigger];
  if (!definitionId) return undefined;
  const surveyId = surveyIdFor(input.trigger, input.sourceId);
  const request: SurveyRequest = {
    surveyId,
    requestId,
    trigger: input.trigger,
    definitionId,
    contactId: input.contactId,
    ...(input.conversationId ? { conversationId: input.conversationId } : {}),
    ...(input.ticketId ? { ticketId: input.ticketId } : {}),
    ...(input.agent ? { agent: input.agent } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.category ? { category: input.category } : {}),
  };
  const delaySeconds = input.trigger === 'manual' ? 0 : Math.min(900, settings.delaySeconds);
  const now = (ports.now ?? feedbackNow)();
  await ports.store.recordRequest(request, new Date(now.getTime() + delaySeconds * 1000).toISOString());
  await ports.enqueue(request, delaySeconds);
  return surveyId;
}
