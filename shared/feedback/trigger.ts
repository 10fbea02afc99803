/**
 * The light part of feedback that other modules' hooks load (chat functions bundle it): survey
 * ids derived from their trigger, the fatigue rule on the shared cap item, and requesting a survey
 * on the `surveys` queue. No comment analysis here, so chat bundles stay small.
 */
import { createHash } from 'node:crypto';
import type { CapRule } from '#shared/campaigns/cap.ts';
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
 * Queues a survey for a trigger after the configured delay (SQS DelaySeconds ≤ 900). Returns the
 * survey id, or undefined when surveys or this trigger are switched off. Safe to call twice: the
 * id is derived from the trigger, and delivery creates the survey only once.
 */
export async function requestSurvey(ports: Pick<FeedbackPorts, 'store' | 'enqueue'>, input: TriggerInput, requestId: string): Promise<string | undefined> {
  const settings = await ports.store.settings();
  if (!settings.enabled) return undefined;
  const definitionId = input.trigger === 'manual' ? (input.definitionId ?? settings.triggers.conversation_resolved ?? 'csat') : settings.triggers[input.trigger];
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
  await ports.enqueue(request, input.trigger === 'manual' ? 0 : Math.min(900, settings.delaySeconds));
  return surveyId;
}

