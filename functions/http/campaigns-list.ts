import * as z from 'zod/mini';
import { ListQuery } from '#shared/campaigns/model.ts';
import { getCampaign, listCampaigns, readProgress } from '#shared/campaigns/store.ts';
import { badRequest, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { decodeCursor, encodeCursor } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';

const Params = z.strictObject({ campaignId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))) });
type Params = z.infer<typeof Params>;

export const handler = withHttp('campaigns-list', { query: ListQuery, params: Params }, async ({ query, params }) => {
  if (params.campaignId) {
    const campaign = await getCampaign(params.campaignId);
    if (!campaign) throw notFound('campaign');
    return ok({ ...campaign, progress: await readProgress(campaign) });
  }
  const cursor = decodeCursor(query.cursor);
  if (cursor && cursor.gsi1pk !== keys.campaignsPartition().gsi1pk)
    throw badRequest({
      en: 'cursor is not valid; pass back the cursor of the previous page unchanged',
      zh: '分页游标（cursor）无效，请原样传回上一页返回的 cursor',
    });
  const page = await listCampaigns(Number(query.limit ?? 20), cursor);
  return ok({ items: page.items, cursor: encodeCursor(page.next) });
});
