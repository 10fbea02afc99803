import { lifecyclePorts } from '#shared/campaigns/adapters.ts';
import { changeStatus } from '#shared/campaigns/lifecycle.ts';
import { CampaignParams, CampaignStatusBody } from '#shared/campaigns/model.ts';
import { requestLang } from '#shared/campaigns/reach.ts';
import { config } from '#shared/config.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

const ports = lifecyclePorts();

export const handler = withHttp('campaigns-status', { body: CampaignStatusBody, params: CampaignParams }, async ({ body, params, caller, event }) => {
  const headers = event.headers ?? {};
  const linkBase = config().KEFU_PUBLIC_API_URL ?? `${headers['x-forwarded-proto'] ?? 'https'}://${headers.host ?? event.requestContext.domainName}`;
  const lang = requestLang(headers['accept-language']);
  const campaign = await changeStatus(params.campaignId, body.action, body.version, caller.sub, linkBase, ports, lang);
  return ok(campaign);
});
