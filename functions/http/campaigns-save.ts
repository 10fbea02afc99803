import * as z from 'zod/mini';
import { saveDraft } from '#shared/campaigns/lifecycle.ts';
import { CampaignBody } from '#shared/campaigns/model.ts';
import { requestLang } from '#shared/campaigns/reach.ts';
import { offerProblem } from '#shared/coupons/service.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';

const Params = z.strictObject({ campaignId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))) });
type Params = z.infer<typeof Params>;

export const handler = withHttp('campaigns-save', { body: CampaignBody, params: Params }, async ({ body, params, caller, now, event }) => {
  const campaign = await saveDraft(body, params.campaignId, caller.sub, now, requestLang(event.headers?.['accept-language']), offerProblem);
  return params.campaignId ? ok(campaign) : created(campaign);
});
