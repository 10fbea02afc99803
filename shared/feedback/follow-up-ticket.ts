/**
 * A detractor's follow-up becomes a ticket through the tickets module's `createTicket` (category
 * FEEDBACK, high priority, tagged `detractor`), exactly once: a claim on the follow-up item
 * (conditional update) lets one caller create it, and the ticket id is written back. Until then,
 * or if ticket creation fails, the follow-up waits in the team leads' queue; a repeated submit
 * of the same answers retries the ticket.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getContact } from '#shared/store/contacts.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { createTicket } from '#shared/tickets/service.ts';
import type { SurveyInstance, SurveyResponse } from './model.ts';

/** A claim older than this is taken over (its holder crashed before creating the ticket). */
const CLAIM_STALE_MS = 5 * 60_000;

const REASON_TEXT: Record<string, { zh: string; en: string }> = {
  low_csat: { zh: '满意度低', en: 'low CSAT' },
  low_nps: { zh: '推荐意愿低', en: 'low NPS' },
  negative_comment: { zh: '负面评价', en: 'negative comment' },
};

async function claim(surveyId: string, now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.surveyFollowUp(surveyId),
        UpdateExpression: 'SET ticketClaimAt = :now',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(followUpTicketId) AND (attribute_not_exists(ticketClaimAt) OR ticketClaimAt < :stale)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':stale': new Date(now.getTime() - CLAIM_STALE_MS).toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Opens the follow-up ticket of a detractor response once; returns its id when this call created it. */
export async function openFollowUpTicket(survey: SurveyInstance, response: SurveyResponse, reasons: readonly string[]): Promise<string | undefined> {
  const now = new Date();
  if (!(await claim(survey.surveyId, now))) return undefined;
  const contact = await getContact(survey.contactId);
  if (!contact) return undefined;
  const scores = Object.entries(response.scores)
    .map(([k, v]) => `${k.toUpperCase()} ${v}`)
    .join(', ');
  const zh = /[\u3400-\u9fff]/.test(response.comment ?? '');
  const why = reasons.map((r) => (zh ? REASON_TEXT[r]?.zh : REASON_TEXT[r]?.en) ?? r).join(zh ? '、' : ', ');
  const subject = zh ? `差评回访：${why}（${scores}）` : `Detractor follow-up: ${why} (${scores})`;
  const text = [
    response.comment ?? (zh ? '（无评论）' : '(no comment)'),
    '',
    zh
      ? `调查 ${survey.surveyId}${survey.conversationId ? ` · 会话 ${survey.conversationId}` : ''}`
      : `survey ${survey.surveyId}${survey.conversationId ? ` · conversation ${survey.conversationId}` : ''}`,
  ].join('\n');
  const state = await createTicket(
    ticketPorts(),
    {
      shopId: contact.shopId,
      channel: 'web_form',
      subject,
      text,
      requester: { contactId: contact.contactId, ...(contact.name ? { name: contact.name } : {}), ...(contact.email ? { email: contact.email } : {}) },
      verified: contact.verified,
      priority: 'high',
      category: 'FEEDBACK',
      language: zh ? 'zh' : 'en',
      tags: ['detractor', 'survey'],
      // the team's own follow-up: the shopper sees a person's reply when one is written, never this note
      staffOnly: true,
    },
    { kind: 'system' },
  );
  const ticketId = state.ticket.ticketId;
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.surveyFollowUp(survey.surveyId),
      UpdateExpression: 'SET followUpTicketId = :t ADD version :one',
      ExpressionAttributeValues: { ':t': ticketId, ':one': 1 },
    }),
  );
  return ticketId;
}
