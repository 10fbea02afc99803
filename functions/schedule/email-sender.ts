import type { Context, ScheduledEvent } from 'aws-lambda';
import { fromAddress, mailDomain } from '#shared/channels/mail-config.ts';
import { sesMessageIds, transportFromConfig, transportKind } from '#shared/channels/mail-transport.ts';
import { config } from '#shared/config.ts';
import { logger } from '#shared/log.ts';
import { appNow } from '#shared/tickets/adapters.ts';
import { DEFAULT_MAX_ATTEMPTS, drainOutbox } from '#shared/tickets/email-sender.ts';
import { claimEmail, dueEmails, enrolNew, markFailed, markRetry, markSent } from '#shared/tickets/email-sender-store.ts';
import { recordSentAliases, suppressionOf } from '#shared/tickets/email-store.ts';

/**
 * Every minute: enrols outbox rows written without a due key (campaign emails), then sends every
 * due email through the configured transport (SMTP or SES). Without a transport nothing is
 * claimed: the rows stay pending, and the log says why once per run.
 */
export const handler = async (event: ScheduledEvent, context?: Context) => {
  const left = () => context?.getRemainingTimeInMillis?.() ?? 60_000;
  const cfg = config();
  const transport = transportFromConfig(cfg);
  if (!transport) {
    logger.info('email sender not configured; outbox emails stay pending', { scheduledFor: event.time, transport: transportKind(cfg) });
    return { configured: false };
  }
  try {
    const enrolled = await enrolNew(appNow());
    const summary = await drainOutbox(
      {
        now: appNow,
        due: dueEmails,
        claim: claimEmail,
        sent: markSent,
        retry: markRetry,
        failed: markFailed,
        alias: (ticketId, ids, at) => recordSentAliases(ticketId, ids, at.toISOString()),
        providerMessageIds: sesMessageIds,
        suppressedSince: async (address) => (await suppressionOf(address))?.at,
        transport,
        from: fromAddress(cfg),
        mailDomain: mailDomain(cfg),
        maxAttempts: Number(cfg.KEFU_EMAIL_MAX_ATTEMPTS ?? DEFAULT_MAX_ATTEMPTS) || DEFAULT_MAX_ATTEMPTS,
      },
      { timeLeftMs: left },
    );
    if (enrolled || summary.sent || summary.retry || summary.failed) {
      logger.info('email sender', { scheduledFor: event.time, via: transport.kind, enrolled, ...summary });
    }
    return { configured: true, enrolled, ...summary };
  } finally {
    transport.close();
  }
};
