import { withHttp, ok } from '#shared/http/with-http.ts';
import { badRequest } from '#shared/http/errors.ts';
import { getSessionKey } from '#shared/auth/secrets.ts';
import { unsubscribeEverywhere } from '#shared/campaigns/consent.ts';
import { UnsubscribeQuery } from '#shared/campaigns/model.ts';
import { asHtmlPage, confirmPage, donePage, verifyUnsubscribe } from '#shared/campaigns/unsubscribe.ts';
import { logger } from '#shared/log.ts';

const inner = withHttp<undefined, UnsubscribeQuery, Record<string, never>, 'public'>({ query: UnsubscribeQuery }, async ({ query, event, now }) => {
  const claims = verifyUnsubscribe(query.t, await getSessionKey());
  if (!claims) throw badRequest('the unsubscribe link is not valid');
  const lang = query.lang ?? 'zh';
  if (event.requestContext.http.method === 'GET') return ok({ html: confirmPage(lang, query.t) });
  const outcome = await unsubscribeEverywhere(claims.contactId, now.toISOString(), claims.campaignId);
  logger.info('unsubscribed from marketing', { campaignId: claims.campaignId, outcome });
  return ok({ html: donePage(lang) });
});

export const handler = asHtmlPage(inner);
