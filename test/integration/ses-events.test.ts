/**
 * SES bounce and complaint events over the local stack: the SNS envelopes SES publishes (through a
 * configuration set) are put on the `ses-events` queue as the SNS subscription would, and the
 * consumer suppresses permanent bounces and complaints, logs transient bounces only, and does
 * nothing twice — neither for a redelivered SNS message nor for a feedback id seen before (even
 * after an admin lifted the suppression).
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { apiClient } from '../support/api.ts';
import { complaint, permanentBounce, snsEnvelope, transientBounce } from '../support/ses-events.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let admin: string;

const stamp = Date.now().toString(36);
const addr = (name: string) => `${name}-${stamp}@example.com`;

async function publish(envelope: ReturnType<typeof snsEnvelope>): Promise<void> {
  await stack.sqs.client.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrls['ses-events'], MessageBody: JSON.stringify(envelope) }));
  await stack.quiesce();
}

async function suppressed(prefix: string): Promise<{ address: string; reason: string; source: string; at: string }[]> {
  const res = await api.call('GET', `/email/suppressions?q=${encodeURIComponent(prefix)}`, { token: admin });
  expect(res.status).toBe(200);
  return res.json.items;
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  api = apiClient(stack.urls.api);
  admin = await api.staff('admin@demo.kefu');
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('SES events → suppression list', () => {
  it('a permanent bounce suppresses every bounced recipient, with the feedback id as source', async () => {
    await publish(snsEnvelope(permanentBounce(`fb-hard-${stamp}`, [addr('hard-a'), `"B" <${addr('hard-b').toUpperCase()}>`])));
    expect(await suppressed(`hard-a-${stamp}`)).toEqual([
      { address: addr('hard-a'), reason: 'bounce', source: `fb-hard-${stamp}`, at: '2026-12-01T08:00:02.669Z' },
    ]);
    expect((await suppressed(`hard-b-${stamp}`)).map((s) => s.address)).toEqual([addr('hard-b')]);
  });

  it('a transient bounce suppresses nobody', async () => {
    await publish(snsEnvelope(transientBounce(`fb-soft-${stamp}`, [addr('soft')])));
    expect(await suppressed(`soft-${stamp}`)).toEqual([]);
  });

  it('a complaint suppresses the complaining recipient', async () => {
    await publish(snsEnvelope(complaint(`fb-spam-${stamp}`, [addr('spam')])));
    expect(await suppressed(`spam-${stamp}`)).toMatchObject([{ address: addr('spam'), reason: 'complaint', source: `fb-spam-${stamp}` }]);
  });

  it('a duplicate delivery changes nothing, even after an admin lifted the suppression', async () => {
    const envelope = snsEnvelope(permanentBounce(`fb-dup-${stamp}`, [addr('dup')]));
    await publish(envelope);
    expect(await suppressed(`dup-${stamp}`)).toHaveLength(1);
    const lifted = await api.call('DELETE', `/email/suppressions/${encodeURIComponent(addr('dup'))}`, { token: admin });
    expect(lifted.status).toBe(200);
    // the same SNS message again, and the same feedback in a new SNS message
    await publish(envelope);
    await publish(snsEnvelope(permanentBounce(`fb-dup-${stamp}`, [addr('dup')])));
    expect(await suppressed(`dup-${stamp}`)).toEqual([]);
    // a new bounce of the address suppresses it again
    await publish(snsEnvelope(permanentBounce(`fb-dup2-${stamp}`, [addr('dup')])));
    expect((await suppressed(`dup-${stamp}`)).map((s) => s.source)).toEqual([`fb-dup2-${stamp}`]);
  });
});
