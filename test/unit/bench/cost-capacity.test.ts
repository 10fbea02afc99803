import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, type LocalDynamo, localDynamoClient, startDynamo } from '#infra/local/dynamo.ts';
import { table } from '#infra/manifest.ts';
import { indexShapes } from '../../../bench/cost.ts';
import { startCountingProxy } from '../../../bench/support/counting-proxy.ts';
import {
  indexWrite,
  itemSize,
  numberSize,
  readUnits,
  refusedWriteCost,
  type TableShape,
  valueSize,
  writeCost,
} from '../../../bench/support/dynamo-capacity.ts';
import { byShape, dynamoCounter, partitionShape, totalWru } from '../../../bench/support/dynamo-counter.ts';
import { costLines, totalPerThousand } from '../../../bench/support/prices.ts';

const shape: TableShape = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY' },
  ],
};
const S = (s: string) => ({ S: s });

describe('item size (AWS rules)', () => {
  it('counts names and values: strings in UTF-8 bytes, numbers by significant digits, maps and lists with overhead', () => {
    expect(itemSize({ pk: S('CONV#1'), sk: S('CONV') })).toBe(2 + 6 + 2 + 4);
    expect(valueSize(S('客服'))).toBe(6);
    expect(numberSize('0')).toBe(1);
    expect(numberSize('12345')).toBe(4);
    expect(numberSize('-1.50')).toBe(3);
    expect(valueSize({ BOOL: true })).toBe(1);
    expect(valueSize({ L: [S('ab'), { N: '7' }] })).toBe(3 + (1 + 2) + (1 + 2));
    expect(valueSize({ M: { a: S('xy') } })).toBe(3 + 1 + 1 + 2);
  });
});

describe('write units with GSIs', () => {
  const base = { pk: S('CONV#1'), sk: S('CONV'), text: S('x'.repeat(1500)) };
  const inBoth = { ...base, gsi1pk: S('CONVS#open'), gsi1sk: S('a'), gsi2pk: S('A#none'), gsi2sk: S('a') };

  it('a new item in two indexes: table by size, each index entry by its projected size', () => {
    const cost = writeCost(shape, undefined, inBoth);
    expect(cost.table).toBe(2); // ≈ 1.6 KB
    expect(cost.indexes.map((w) => [w.index, w.writes, w.units])).toEqual([
      ['gsi1', 1, 2], // ALL: the whole item + 100 B
      ['gsi2', 1, 1], // KEYS_ONLY: small
    ]);
    expect(cost.total).toBe(5);
  });

  it('an index key that moves costs a delete and a put; an unchanged entry costs nothing', () => {
    const moved = { ...inBoth, gsi1sk: S('b') };
    const w = indexWrite(shape, shape.indexes[0]!, inBoth, moved);
    expect(w).toMatchObject({ writes: 2, units: 4, partitions: ['CONVS#open', 'CONVS#open'] });
    // gsi2 projects keys only: the text changing does not touch it
    expect(indexWrite(shape, shape.indexes[1]!, inBoth, { ...inBoth, text: S('y') }).writes).toBe(0);
    expect(indexWrite(shape, shape.indexes[0]!, inBoth, { ...inBoth, text: S('y') }).writes).toBe(1);
    expect(indexWrite(shape, shape.indexes[0]!, inBoth, { ...inBoth }).writes).toBe(0);
  });

  it('leaving an index costs one write; never being in it costs none', () => {
    const { gsi1pk: _p, gsi1sk: _s, ...out } = inBoth;
    expect(indexWrite(shape, shape.indexes[0]!, inBoth, out)).toMatchObject({ writes: 1 });
    expect(indexWrite(shape, shape.indexes[0]!, base, base).writes).toBe(0);
  });

  it('transactions double the table units, not the index units; refused writes cost the existing size', () => {
    const cost = writeCost(shape, undefined, inBoth, { transactional: true });
    expect(cost.table).toBe(4);
    expect(cost.total).toBe(7);
    expect(refusedWriteCost(undefined).total).toBe(1);
    expect(refusedWriteCost(inBoth, { transactional: true }).total).toBe(4);
  });

  it('reads: 4 KB per unit, half eventually consistent, double transactional', () => {
    expect(readUnits(0, 'strong')).toBe(1);
    expect(readUnits(4097, 'strong')).toBe(2);
    expect(readUnits(4097, 'eventual')).toBe(1);
    expect(readUnits(100, 'transactional')).toBe(2);
  });
});

describe('index projections read from the manifest', () => {
  it('prices ALL unless an index states KEYS_ONLY or the attributes it includes', () => {
    const keysOf = { partitionKey: 'p', sortKey: 's' };
    const shapes = indexShapes([
      { name: 'a', ...keysOf },
      { name: 'b', ...keysOf, projection: 'KEYS_ONLY' },
      { name: 'c', ...keysOf, projection: 'INCLUDE', nonKeyAttributes: ['status'] },
      { name: 'd', ...keysOf, projection: ['status', 'assignee'] },
    ]);
    expect(shapes.map((s) => s.projection)).toEqual(['ALL', 'KEYS_ONLY', { include: ['status'] }, { include: ['status', 'assignee'] }]);
  });
});

describe('partition shapes', () => {
  it('tells per-conversation partitions from the ones every conversation shares', () => {
    expect(partitionShape('table CONV#cnv_01m8yhzbnaymn68tzgtqzg2kf3')).toBe('table CONV#{cnv}');
    expect(partitionShape('gsi3 ASSIGNEE#8147b316-a38b-4ed7-af81-25103e9ab072')).toBe('gsi3 ASSIGNEE#{sub}');
    expect(partitionShape('QUALITY#all | DAY#2026-12-03')).toBe('QUALITY#all | DAY#{day}');
    expect(partitionShape('gsi2 CONVS#open')).toBe('gsi2 CONVS#open');
    const shaped = byShape({ 'table CONV#cnv_aaaaaaaaaaaa': { writes: 2, wru: 3 }, 'table CONV#cnv_bbbbbbbbbbbb': { writes: 1, wru: 1 } });
    expect(shaped['table CONV#{cnv}']).toEqual({ writes: 3, wru: 4, distinct: 2 });
  });
});

describe('price arithmetic', () => {
  it('multiplies per-conversation units by 1,000 and the list price', () => {
    const lines = costLines({
      wru: 200,
      rru: 80,
      sqsRequests: 0,
      lambdaInvocations: 0,
      lambdaGbSeconds: 0,
      wsMessages: 0,
      wsConnectionMinutes: 0,
      httpRequests: 0,
      logBytes: 0,
    });
    expect(lines[0]).toMatchObject({ item: 'DynamoDB writes', perThousand: 0.125 });
    expect(lines[1]).toMatchObject({ item: 'DynamoDB reads', perThousand: 0.01 });
    expect(totalPerThousand(lines)).toBeCloseTo(0.135, 10);
    expect(lines[0]?.arithmetic).toBe('200 WRU × 1,000 × $0.625/M = $0.1250');
  });
});

describe('the counting proxy in front of dynalite', () => {
  let dynamo: LocalDynamo;
  let doc: DynamoDBDocumentClient;
  const counter = dynamoCounter(
    { partitionKey: table.partitionKey, sortKey: table.sortKey, indexes: table.indexes.map((i) => ({ ...i, projection: 'ALL' as const })) },
    () => dynamo.endpoint,
  );
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;

  beforeAll(async () => {
    dynamo = await startDynamo();
    await createTable(dynamo.endpoint);
    proxy = await startCountingProxy(counter.handler);
    proxy.forwardTo(dynamo.endpoint);
    doc = DynamoDBDocumentClient.from(localDynamoClient(proxy.url));
  });
  afterAll(async () => {
    doc?.destroy();
    await proxy?.close();
    await dynamo?.stop();
  });

  it('prices an update through the index it moves in, from the item as stored before and after', async () => {
    await doc.send(new PutCommand({ TableName: table.name, Item: { pk: 'C#1', sk: 'C', gsi2pk: 'CONVS#open', gsi2sk: '1', n: 1 } }));
    expect(counter.tally.calls).toEqual({ PutItem: 1 });
    expect(totalWru(counter.tally)).toBe(2); // table 1 + gsi2 1
    await doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: { pk: 'C#1', sk: 'C' },
        UpdateExpression: 'SET gsi2sk = :s ADD n :one',
        ExpressionAttributeValues: { ':s': '2', ':one': 1 },
      }),
    );
    expect(totalWru(counter.tally)).toBe(2 + 1 + 2); // table 1 + gsi2 delete and put
    expect(counter.tally.partitions['gsi2 CONVS#open']).toEqual({ writes: 3, wru: 3 }); // the put, then the move's delete and put
    const refused = doc.send(new PutCommand({ TableName: table.name, Item: { pk: 'C#1', sk: 'C' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await expect(refused).rejects.toThrow();
    expect(counter.tally.conditionFailures).toBe(1);
    expect(totalWru(counter.tally)).toBe(6);
  });
});
