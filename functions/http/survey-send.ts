import { staffConversation } from '#shared/chat/service.ts';
import { feedbackPorts } from '#shared/feedback/adapters.ts';
import { surveyLinkPath } from '#shared/feedback/link.ts';
import { ManualSendBody } from '#shared/feedback/model.ts';
import { deliverSurvey, surveyForVisitor } from '#shared/feedback/service.ts';
import { surveyIdFor } from '#shared/feedback/trigger.ts';
import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { newId } from '#shared/ids.ts';

/**
 * An agent sends a survey now for a conversation (manual trigger): delivered at once to the widget,
 * with a signed link the agent may share; the fatigue cap, opt-out and open complaints still apply.
 */
export const handler = withHttp('survey-send', { body: ManualSendBody }, async ({ body, requestId }) => {
  const ports = feedbackPorts();
  const conversation = await staffConversation(body.conversationId);
  const settings = await ports.store.settings();
  const definitionId = body.definitionId ?? settings.triggers.conversation_resolved ?? 'csat';
  if (!(await ports.store.definition(definitionId))) throw badRequest({ en: `unknown survey definition ${definitionId}`, zh: `问卷 ${definitionId} 不存在` });
  const sourceId = `${conversation.conversationId}#${requestId || newId('req')}`;
  const outcome = await deliverSurvey(ports, {
    surveyId: surveyIdFor('manual', sourceId),
    requestId: newId('req'),
    trigger: 'manual',
    definitionId,
    contactId: conversation.contactId,
    conversationId: conversation.conversationId,
    channel: conversation.channel,
    ...(conversation.assignee ? { agent: conversation.assignee.sub } : {}),
    ...(conversation.ticketId ? { ticketId: conversation.ticketId } : {}),
  });
  if (outcome.status !== 'sent') return ok({ status: outcome.status, ...('reason' in outcome ? { reason: outcome.reason } : {}) });
  return ok({ status: 'sent', survey: surveyForVisitor(outcome.survey), link: await surveyLinkPath(outcome.survey.surveyId, outcome.survey.expiresAt) });
});
