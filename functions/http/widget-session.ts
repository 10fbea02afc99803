import * as z from 'zod/mini';
import { verifyIdentity } from '#shared/auth/hmac.ts';
import { signVisitorToken, VISITOR_SESSION_SECONDS, verifyVisitorToken } from '#shared/auth/visitor-token.ts';
import { config } from '#shared/config.ts';
import { addressBucket, resolveSession, SESSION_LIMITS } from '#shared/domain/sessions.ts';
import { HttpError, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/log.ts';
import { dynamoMergePorts, mergeContacts } from '#shared/members/merge.ts';
import { createContact, findContactByShopUser, getContact } from '#shared/store/contacts.ts';
import { enforceLimits } from '#shared/store/rate-limit.ts';
import { getShop } from '#shared/store/shops.ts';
import { cleanLine } from '#shared/text/hygiene.ts';

const Body = z.strictObject({
  shopId: z.string().check(z.minLength(1), z.maxLength(64)),
  resumeToken: z.optional(z.string().check(z.maxLength(2048))),
  user: z.optional(
    z.strictObject({
      id: z.string().check(z.minLength(1), z.maxLength(128)),
      hmac: z.optional(z.string().check(z.maxLength(128))),
      name: z.optional(z.string().check(cleanLine(), z.maxLength(200))),
      email: z.optional(z.email()),
    }),
  ),
  locale: z.optional(z.enum(['zh-CN', 'en'])),
});

/** The anonymous visitor who just proved an identity is folded into the shopper's contact (best effort: the session never fails on it). */
async function mergeVisitor(previousContactId: string, contactId: string, now: Date): Promise<void> {
  try {
    await mergeContacts(previousContactId, contactId, dynamoMergePorts, now);
  } catch (error) {
    logger.warn('visitor merge skipped', { contactId, errorName: (error as Error).name, status: (error as { status?: number }).status });
  }
}

/**
 * One per-address budget of this route; over it, a 429 with Retry-After and a message that says
 * which budget ran out and what to do instead (resume the session you already have).
 */
/** What each budget counts, in Chinese. */
const LIMIT_ZH: Record<keyof typeof SESSION_LIMITS, { name: string; unit: string }> = {
  calls: { name: '客服窗口会话请求', unit: '次' },
  newVisitors: { name: '新匿名访客', unit: '个' },
};

async function withinBudget(which: keyof typeof SESSION_LIMITS, sourceIp: string, now: Date): Promise<void> {
  const limit = SESSION_LIMITS[which];
  try {
    await enforceLimits([{ bucket: `session#${which}#${addressBucket(sourceIp)}`, max: limit.max, windowSeconds: limit.windowSeconds }], now);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 429) throw error;
    const retryAfterSeconds = Number(error.headers['retry-after']);
    throw new HttpError(
      429,
      'rate_limited',
      {
        en: `too many ${limit.name} from this address (at most ${limit.max} per ${limit.windowSeconds} s): keep the token of the session you have and send it as resumeToken instead of starting a new session; retry after ${retryAfterSeconds} s`,
        zh: `此地址的${LIMIT_ZH[which].name}过多（每 ${limit.windowSeconds} 秒最多 ${limit.max} ${LIMIT_ZH[which].unit}）：请保留已有会话的令牌，作为 resumeToken 发送，不要新建会话；请 ${retryAfterSeconds} 秒后再试`,
      },
      { limit: limit.max, windowSeconds: limit.windowSeconds, retryAfterSeconds },
      error.headers,
    );
  }
}

export const handler = withHttp('widget-session', { body: Body }, async ({ body, sourceIp, now }) => {
  const shop = await getShop(body.shopId);
  if (!shop) throw notFound('shop');
  await withinBudget('calls', sourceIp, now);
  const session = await resolveSession(body, {
    now: () => now,
    newId,
    verifyIdentity: (id, hmac) => verifyIdentity(shop.identitySecret, id, hmac),
    resume: verifyVisitorToken,
    getContact,
    findContactByShopUser: (id) => findContactByShopUser(shop.shopId, id),
    createContact,
  });
  if (session.newVisitor) await withinBudget('newVisitors', sourceIp, now);
  if (session.previousContactId) await mergeVisitor(session.previousContactId, session.contact.contactId, now);
  const token = await signVisitorToken(
    {
      contactId: session.contact.contactId,
      shopId: shop.shopId,
      sessionId: session.sessionId,
      verified: session.verified,
      ...(body.locale ? { locale: body.locale } : {}),
    },
    now,
  );
  return ok({
    token,
    expiresAt: new Date(now.getTime() + VISITOR_SESSION_SECONDS * 1000).toISOString(),
    contactId: session.contact.contactId,
    verified: session.verified,
    wsUrl: config().WS_PUBLIC_URL,
  });
});
