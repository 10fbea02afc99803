import { marketingNow } from '#shared/campaigns/clock.ts';
import { CampaignParams } from '#shared/campaigns/model.ts';
import { campaignReport } from '#shared/campaigns/report.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('campaigns-report', { params: CampaignParams }, async ({ params }) => {
  return ok(await campaignReport(params.campaignId, marketingNow()));
});
