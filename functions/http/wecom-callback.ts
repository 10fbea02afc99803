import { WecomCallbackQuery } from '#shared/channels/api.ts';
import { currentWecomApi, WecomApiError, wecomKeys } from '#shared/channels/wecom-api.ts';
import { decryptCallback, WecomCryptoError } from '#shared/channels/wecom-crypto.ts';
import { type IntakePorts, kfEvent, pullMessages, tableStore } from '#shared/channels/wecom-intake.ts';
import { parseFlatXml } from '#shared/channels/wecom-xml.ts';
import { announce } from '#shared/chat/announce.ts';
import { config } from '#shared/config.ts';
import { badRequest, HttpError, unauthorized } from '#shared/http/errors.ts';
import { textBody, withHttp } from '#shared/http/with-http.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/log.ts';
import { qualityOnCreated, qualityOnStatus } from '#shared/quality/hooks.ts';
import { enqueue } from '#shared/queue/send.ts';
import { DEFAULT_SHOP_ID } from '#shared/store/shops.ts';
import { onThreadMessage } from '#shared/tickets/thread-hook.ts';

/**
 * A WeChat message does what a widget message does once written (shared/chat/service.ts
 * `startConversation` / `visitorSend`): pushed to the console, quality hooks, the bot's turn
 * queued while the bot serves the conversation, the linked ticket's clocks.
 */
const ports: IntakePorts = {
  store: tableStore,
  now: () => new Date(),
  ids: (prefix) => newId(prefix),
  effects: {
    async started(conversation, message) {
      await announce(conversation, message);
      await qualityOnCreated(conversation);
      if (conversation.bot?.active) await enqueue('bot', { conversationId: conversation.conversationId, messageId: message.messageId });
    },
    async continued(before, { conversation, message, created }) {
      if (created) {
        await announce(conversation, message);
        if (conversation.status !== before.status) await qualityOnStatus(conversation, new Date());
        if (conversation.bot?.active) await enqueue('bot', { conversationId: conversation.conversationId, messageId: message.messageId });
      }
      await onThreadMessage(conversation, message);
    },
  },
};
/** A callback older than this is refused (the platform sends at once and retries within seconds). */
const MAX_AGE_SECONDS = 30 * 60;

/**
 * WeChat customer service callback: the signature and the encryption are checked (public route,
 * the Token is the credential), then a `kf_msg_or_event` pulls the account's new messages with
 * `kf/sync_msg` into `wechat` conversations before the platform hears "success". A failed pull answers
 * 502, so the platform calls again (every step is idempotent).
 */
export const handler = withHttp('wecom-callback', { query: WecomCallbackQuery, rawBody: /^(text|application)\/xml\b/i }, async ({ query, rawBody, now }) => {
  const keys = wecomKeys();
  if (!keys)
    throw new HttpError(404, 'not_found', {
      en: 'WeChat customer service (set KEFU_WECOM_CORP_ID, KEFU_WECOM_TOKEN, KEFU_WECOM_AES_KEY) not found',
      zh: '未配置微信客服（请设置 KEFU_WECOM_CORP_ID、KEFU_WECOM_TOKEN、KEFU_WECOM_AES_KEY）',
    });
  const outer = parseFlatXml(rawBody);
  if (!outer?.Encrypt)
    throw badRequest({
      en: 'the body is not a WeCom callback: <xml> with an <Encrypt> field',
      zh: '请求内容不是企业微信回调（应为带 <Encrypt> 字段的 <xml>）',
    });
  if (Math.abs(now.getTime() / 1000 - Number(query.timestamp)) > MAX_AGE_SECONDS)
    throw unauthorized({ en: 'timestamp is outside the accepted window', zh: 'timestamp 超出允许的时间范围' });
  let fields: Record<string, string> | undefined;
  try {
    fields = parseFlatXml(decryptCallback(keys, query, outer.Encrypt));
  } catch (error) {
    if (!(error instanceof WecomCryptoError)) throw error;
    logger.warn('wecom callback refused', { reason: error.message });
    throw unauthorized({
      en: 'msg_signature or Encrypt does not verify with the configured Token and EncodingAESKey',
      zh: 'msg_signature 或 Encrypt 与配置的 Token 和 EncodingAESKey 校验不符',
    });
  }
  const event = fields ? kfEvent(fields) : undefined;
  if (event) {
    const api = currentWecomApi();
    if (!api) {
      logger.warn('wecom callback received but KEFU_WECOM_SECRET is not set: messages not pulled', { openKfId: event.openKfId });
    } else {
      const result = await pullMessages(api, ports, event, config().KEFU_WECOM_SHOP_ID ?? DEFAULT_SHOP_ID).catch((error: unknown) => {
        if (!(error instanceof WecomApiError)) throw error;
        logger.warn('wecom sync_msg failed', { openKfId: event.openKfId, errcode: error.errcode });
        throw new HttpError(502, 'upstream_failed', {
          en: 'kf/sync_msg failed; the platform calls again and the pull resumes from the saved cursor',
          zh: 'kf/sync_msg 调用失败；平台会再次回调，届时从已保存的游标处继续拉取',
        });
      });
      logger.info('wecom messages pulled', { openKfId: event.openKfId, ...result });
    }
  }
  return textBody('success', 'text/plain; charset=utf-8');
});
