import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { unknownScenarios } from '#shared/quality/training-best.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { TeamInputSchema } from '#shared/tickets/assignment.ts';
import { saveTeam, TeamParams } from '#shared/tickets/config-store.ts';
import { DEFAULT_SHOP_ID } from '#shared/tickets/intake.ts';
import { drainQueue } from '#shared/tickets/service.ts';

/**
 * Saves a team; new members or more capacity take waiting tickets at once. A training requirement
 * (上岗要求) must name scenarios of the library: unknown ids are refused at the field, nothing saved.
 */
export const handler = withHttp('ticket-config-team', { body: TeamInputSchema, params: TeamParams }, async ({ body, params, event }) => {
  if (body.training) {
    const missing = await unknownScenarios(body.training.scenarioIds);
    if (missing.length > 0) {
      const text = {
        en: `unknown training scenario${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; choose scenarios from the library`,
        zh: `情景 ${missing.join('、')} 不存在，请从情景库中选择`,
      };
      const zh = /^\s*zh/i.test(event.headers?.['accept-language'] ?? '');
      throw badRequest(text, { fields: [{ path: 'training.scenarioIds', message: zh ? text.zh : text.en, en: text.en }] });
    }
  }
  const input = body.training ? { ...body, training: { ...body.training, scenarioIds: [...new Set(body.training.scenarioIds)] } } : body;
  const team = await saveTeam(params.teamId, input);
  await drainQueue(ticketPorts(), DEFAULT_SHOP_ID, team.teamId);
  return ok({ team });
});
