/** Coupon campaigns on a local stack: create one for a segment, launch it and wait until every member was sent to. */
import { expect } from 'vitest';
import type { apiClient } from './api.ts';
import { until } from './until.ts';

type Client = ReturnType<typeof apiClient>;

export interface CouponCampaign {
  name: string;
  segmentId: string;
  channels: string[];
  content: Record<string, unknown>;
  poolId: string;
  /** Members the campaign must have sent to before it counts as done. */
  members: number;
}

/** Creates the campaign (no holdout, no quiet hours), launches it and waits for it to complete; returns its id. */
export async function launchCouponCampaign(client: Client, token: string, c: CouponCampaign): Promise<string> {
  const created = await client.call('POST', '/campaigns', {
    token,
    body: {
      name: c.name,
      segmentId: c.segmentId,
      channels: c.channels,
      variants: [{ variantId: 'a', weight: 1, content: c.content }],
      offer: { kind: 'coupon', poolId: c.poolId },
      holdoutRatio: 0,
      quietHours: null,
    },
  });
  expect(created.status).toBe(201);
  const campaignId = created.json.campaignId as string;
  expect((await client.call('POST', `/campaigns/${campaignId}/status`, { token, body: { action: 'launch', version: 1 } })).status).toBe(200);
  await until(
    async () => {
      const res = await client.call('GET', `/campaigns/${campaignId}`, { token });
      return res.json.status === 'completed' && res.json.progress.sent === c.members ? true : undefined;
    },
    { timeoutMs: 120_000, what: 'the campaign to complete' },
  );
  return campaignId;
}
