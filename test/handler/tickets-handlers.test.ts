import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { keys } from '#shared/store/keys.ts';
import { httpEvent, sqsEvent } from '../support/events.ts';

process.env.TABLE_NAME = 'Kefu';
process.env.QUEUE_URL_SLA_TIMERS = 'https://sqs.local/sla-timers';
resetConfig();
const doc = mockClient(DynamoDBDocumentClient);
const raw = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);
const context = { functionName: 'kefu-test-sla-timers-consumer', awsRequestId: 'r', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const claims = { sub: 'agent-sub', name: 'Li Na', email: 'agent@demo.kefu', 'cognito:groups': '[agent]' };

const ticketId = 'tkt_0000000000000000000000000a';
const dueIn = (ms: number) => new Date(Date.now() + ms).toISOString();
const header = {
  pk: `TICKET#${ticketId}`,
  sk: 'TICKET',
  ticketId,
  shopId: 'demo',
  status: 'open',
  version: 3,
  sla: { policyId: 'default', policyVersion: 1, calendarId: 'shop', breached: [] },
};
const clock = (timerVersion: number, dueAt: string) => ({
  ...keys.ticketSla(ticketId, 'first_response'),
  ticketId,
  metric: 'first_response',
  policy: { policyId: 'default', version: 1 },
  targetMinutes: 60,
  warnAtPercent: 80,
  startedAt: new Date().toISOString(),
  state: 'running',
  consumedMs: 0,
  runningSince: new Date().toISOString(),
  dueAt,
  warnAt: dueAt,
  timerVersion,
  cycle: 1,
});
const timer = (over: Record<string, unknown> = {}) => ({
  ticketId,
  metric: 'first_response',
  kind: 'breach',
  dueAt: dueIn(2 * 3600_000),
  policyVersion: 1,
  timerVersion: 4,
  chain: 'tmr_0000000000000000000000000b',
  hop: 7,
  ...over,
});

beforeEach(() => {
  doc.reset();
  raw.reset();
  sqs.reset();
  raw.on(PutItemCommand).resolves({});
  raw.on(UpdateItemCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
});

describe('sla-timers-consumer', async () => {
  const { handler } = await import('#functions/queue/sla-timers-consumer.ts');

  it('before the deadline: re-enqueues the next hop delayed by at most 900 s', async () => {
    const message = timer();
    doc.on(QueryCommand).resolves({ Items: [clock(4, message.dueAt), header] });
    const res = await handler(sqsEvent('sla-timers', [{ body: message }]), context);
    expect(res).toEqual({ batchItemFailures: [] });
    const sent = sqs.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.args[0].input.DelaySeconds).toBe(900);
    expect(JSON.parse(sent[0]!.args[0].input.MessageBody!)).toEqual({ ...message, hop: 8 });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('the last hop is delayed by the whole seconds left', async () => {
    const message = timer({ dueAt: dueIn(95_500) });
    doc.on(QueryCommand).resolves({ Items: [clock(4, message.dueAt as string), header] });
    await handler(sqsEvent('sla-timers', [{ body: message }]), context);
    const delay = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.DelaySeconds!;
    expect(delay).toBeGreaterThanOrEqual(94);
    expect(delay).toBeLessThanOrEqual(95);
  });

  it('a deadline that moved (timer version changed) ends the chain: nothing sent, nothing written', async () => {
    doc.on(QueryCommand).resolves({ Items: [clock(5, dueIn(3600_000)), header] });
    const res = await handler(sqsEvent('sla-timers', [{ body: timer() }]), context);
    expect(res).toEqual({ batchItemFailures: [] });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('a malformed message is reported as a batch item failure (it goes to the DLQ after 5 receives)', async () => {
    doc.on(QueryCommand).resolves({ Items: [clock(5, dueIn(3600_000)), header] });
    const res = await handler(sqsEvent('sla-timers', [{ body: timer() }, { body: { ...timer(), hop: -1 }, messageId: 'bad-1' }]), context);
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad-1' }] });
  });
});

describe('ticket HTTP handlers', async () => {
  const { handler: update } = await import('#functions/http/ticket-update.ts');
  const { handler: create } = await import('#functions/http/tickets-create.ts');

  it('PATCH with a stale version → 409 with the current version; nothing written', async () => {
    doc.on(QueryCommand).resolves({ Items: [header] });
    const res = await update(
      httpEvent({ method: 'PATCH', path: '/tickets/{ticketId}', params: { ticketId }, body: { version: 2, status: 'solved' }, claims }),
      context,
    );
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body!)).toMatchObject({ error: 'conflict', details: { version: 3 } });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('server-owned fields are refused: version on create, sla or audit on update', async () => {
    const bad = await create(
      httpEvent({ method: 'POST', path: '/tickets', body: { channel: 'phone', subject: 's', text: 't', requester: { name: 'x' }, version: 9 }, claims }),
      context,
    );
    expect(bad.statusCode).toBe(400);
    const sla = await update(httpEvent({ method: 'PATCH', path: '/tickets/{ticketId}', params: { ticketId }, body: { version: 3, sla: {} }, claims }), context);
    expect(sla.statusCode).toBe(400);
    expect(JSON.parse(sla.body!).message).toMatch(/Unrecognized key: "sla"/);
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('a malformed ticket id is a 400, not a lookup', async () => {
    const res = await update(
      httpEvent({ method: 'PATCH', path: '/tickets/{ticketId}', params: { ticketId: 'TICKET#x' }, body: { version: 1 }, claims }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(doc.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
