import { WecomVerifyQuery } from '#shared/channels/api.ts';
import { wecomKeys } from '#shared/channels/wecom-api.ts';
import { verifyUrl, WecomCryptoError } from '#shared/channels/wecom-crypto.ts';
import { HttpError, unauthorized } from '#shared/http/errors.ts';
import { textBody, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';

/**
 * The WeCom admin's "verify URL" step: a signed, encrypted echostr; the answer is its plaintext,
 * as is (no quotes, no newline). Public route: the signature with the shop's Token is the check.
 */
export const handler = withHttp('wecom-verify', { query: WecomVerifyQuery }, async ({ query }) => {
  const keys = wecomKeys();
  if (!keys)
    throw new HttpError(404, 'not_found', {
      en: 'WeChat customer service (set KEFU_WECOM_CORP_ID, KEFU_WECOM_TOKEN, KEFU_WECOM_AES_KEY) not found',
      zh: '未配置微信客服（请设置 KEFU_WECOM_CORP_ID、KEFU_WECOM_TOKEN、KEFU_WECOM_AES_KEY）',
    });
  try {
    return textBody(verifyUrl(keys, query), 'text/plain; charset=utf-8', { 'cache-control': 'no-store' });
  } catch (error) {
    if (!(error instanceof WecomCryptoError)) throw error;
    logger.warn('wecom url verification refused', { reason: error.message });
    throw unauthorized({
      en: 'msg_signature or echostr does not verify with the configured Token and EncodingAESKey',
      zh: 'msg_signature 或 echostr 与配置的 Token 和 EncodingAESKey 校验不符',
    });
  }
});
