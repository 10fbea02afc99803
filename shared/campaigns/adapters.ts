/**
 * The production ports of the campaign domain: SQS for fan-out hops and held batches, WebSocket
 * pushes to the contact topic, the members ledger for bonus points, the platform key for signed
 * links, loyalty configuration for tier names, and the marketing clock.
 */
import { getSessionKey } from '#shared/auth/secrets.ts';
import { changePoints } from '#shared/members/points.ts';
import { loyaltyConfig } from '#shared/members/store.ts';
import { enqueue } from '#shared/queue/send.ts';
import { contactTopic, pushToTopic } from '#shared/realtime.ts';
import { marketingNow } from './clock.ts';
import type { FanoutPorts, SendMessage } from './fanout.ts';
import type { LifecyclePorts, TickPorts } from './lifecycle.ts';
import type { SendPorts } from './send.ts';
import { enqueueBatch, maxHoldSeconds } from './sqs-batch.ts';

/** Lifecycle ports: status changes queue fan-out hops. */
export function lifecyclePorts(): LifecyclePorts {
  return { now: marketingNow, kick: (message) => enqueue('campaign-fanout', message) };
}

/** Tick ports: fan-out hops, and send batches re-queued from their rows. */
export function tickPorts(): TickPorts {
  return { ...lifecyclePorts(), enqueueSends: (messages: SendMessage[]) => enqueueBatch('campaign-sends', messages) };
}

/** Fan-out ports for one invocation. */
export function fanoutPorts(timeLeftMs: () => number): FanoutPorts {
  return {
    now: marketingNow,
    timeLeftMs,
    enqueueSends: (messages: SendMessage[]) => enqueueBatch('campaign-sends', messages),
    kick: (message) => enqueue('campaign-fanout', message),
  };
}

/**
 * Send ports. Coupons come in from the caller (the consumer passes shared/coupons' `giveCoupon`):
 * the coupons domain stays outside the campaigns ↔ members ↔ store cycle (test/infra/import-cycles).
 */
export function sendPorts(coupons: Pick<SendPorts, 'claimCoupon'>): SendPorts {
  return {
    now: marketingNow,
    hold: async (message, delaySeconds) => {
      await enqueueBatch('campaign-sends', [message], delaySeconds);
    },
    maxHoldSeconds,
    push: async (contactId, frame) => {
      await pushToTopic(contactTopic(contactId), frame);
    },
    awardPoints: async (req) => {
      const outcome = await changePoints({
        contactId: req.contactId,
        kind: 'earn',
        points: req.points,
        sourceId: req.sourceId,
        at: req.at,
        reason: req.reason,
        actor: 'campaign',
      });
      return outcome.status === 'applied' || outcome.status === 'duplicate' ? outcome.balance : undefined;
    },
    claimCoupon: coupons.claimCoupon,
    unsubscribeKey: getSessionKey,
    tierName: async (tierId, lang) => {
      if (!tierId) return undefined;
      const tier = (await loyaltyConfig()).tiers.find((t) => t.tierId === tierId);
      return tier?.name[lang];
    },
  };
}
