import * as z from 'zod/mini';
import { getSessionKey } from '#shared/auth/secrets.ts';
import { unsubscribeEverywhere } from '#shared/campaigns/consent.ts';
import { UnsubscribeQuery } from '#shared/campaigns/model.ts';
import { confirmPage, donePage, errorPage, verifyUnsubscribe } from '#shared/campaigns/unsubscribe.ts';
import { badRequest } from '#shared/http/errors.ts';
import { htmlPage, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';

/** The RFC 8058 one-click body mail clients (and the confirm page's button) POST. */
const OneClick = z.optional(z.strictObject({ 'List-Unsubscribe': z.literal('One-Click') }));

/** GET shows the confirm page (link scanners unsubscribe nobody); POST withdraws marketing consent. */
export const handler = withHttp(
  'unsubscribe',
  {
    query: UnsubscribeQuery,
    body: OneClick,
    form: true,
    errorPage: (status, event) => errorPage(event.queryStringParameters?.lang === 'en' ? 'en' : 'zh', status),
  },
  async ({ query, event, now }) => {
    const claims = verifyUnsubscribe(query.t, await getSessionKey());
    if (!claims) throw badRequest({ en: 'the unsubscribe link is not valid', zh: '退订链接无效' });
    const lang = query.lang ?? 'zh';
    if (event.requestContext.http.method === 'GET') return htmlPage(200, confirmPage(lang, query.t));
    const outcome = await unsubscribeEverywhere(claims.contactId, now.toISOString(), claims.campaignId);
    logger.info('unsubscribed from marketing', { campaignId: claims.campaignId, outcome });
    return htmlPage(200, donePage(lang));
  },
);
