import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type StaffRole, table } from '#infra/manifest.ts';
import { keys } from '#shared/store/keys.ts';
import { hashPassword } from './issuer.ts';
import { REPO_ROOT } from './lambda.ts';

/** Bump when the seed changes in a way an existing data dir should pick up. */
export const SEED_VERSION = 1;
export const SEED_MARKER = { pk: 'SETTINGS', sk: 'SEED' } as const;
export const DEMO_PASSWORD = 'kefu-demo';
export const DEMO_SHOP_ID = 'demo';

export interface DemoStaff {
  email: string;
  name: string;
  roles: readonly StaffRole[];
  locale: 'zh-CN' | 'en';
}

export const DEMO_STAFF: readonly DemoStaff[] = [
  { email: 'agent@demo.kefu', name: 'Li Na', roles: ['agent'], locale: 'zh-CN' },
  { email: 'lead@demo.kefu', name: 'Chen Wei', roles: ['agent', 'supervisor'], locale: 'zh-CN' },
  { email: 'marketing@demo.kefu', name: 'Mia Wong', roles: ['marketing'], locale: 'en' },
  { email: 'admin@demo.kefu', name: 'Alex Kim', roles: ['admin', 'supervisor', 'agent'], locale: 'en' },
];

/** A stable, UUID-shaped subject per email, so a re-run never creates a second profile for an account. */
export function demoSub(email: string): string {
  const h = createHash('sha256').update(`kefu-local:${email.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What `seedDemoContent(deps)` in shared/demo/seed.ts receives. */
export interface SeedDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  shopId: string;
  staff: { sub: string; email: string; name: string; roles: readonly StaffRole[]; locale: string }[];
  now: Date;
  log: (message: string) => void;
}

async function putIfAbsent(db: DynamoDBDocumentClient, item: Record<string, unknown>): Promise<void> {
  try {
    await db.send(new PutCommand({ TableName: table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

/**
 * Seeds the demo accounts, staff profiles and demo shop once per data dir (a marker item records it),
 * then the demo content of shared/demo/seed.ts when that module exists. Returns whether it seeded.
 */
export async function seedDemoData(db: DynamoDBDocumentClient, log: (message: string) => void = () => {}): Promise<boolean> {
  const { Item: marker } = await db.send(new GetCommand({ TableName: table.name, Key: SEED_MARKER, ConsistentRead: true }));
  if (marker && Number(marker.version) >= SEED_VERSION) return false;
  const now = new Date();
  const createdAt = now.toISOString();
  const staff = DEMO_STAFF.map((s) => ({ ...s, sub: demoSub(s.email) }));
  for (const s of staff) {
    await putIfAbsent(db, {
      ...keys.localAccount(s.email),
      email: s.email,
      sub: s.sub,
      name: s.name,
      groups: [...s.roles],
      passwordHash: await hashPassword(DEMO_PASSWORD),
      createdAt,
    });
    await putIfAbsent(db, {
      ...keys.staff(s.sub),
      ...keys.staffListing(s.name),
      sub: s.sub,
      email: s.email,
      name: s.name,
      roles: [...s.roles],
      locale: s.locale,
      createdAt,
    });
  }
  const weekday: [string, string] = ['09:00', '18:00'];
  await putIfAbsent(db, {
    ...keys.shop(DEMO_SHOP_ID),
    shopId: DEMO_SHOP_ID,
    name: 'Demo Shop',
    identitySecret: randomBytes(32).toString('hex'),
    webhookSecret: randomBytes(32).toString('hex'),
    locales: ['zh-CN', 'en'],
    businessHours: { timeZone: 'Asia/Shanghai', days: { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday } },
    createdAt,
  });
  if (existsSync(resolve(REPO_ROOT, 'shared/demo/seed.ts'))) {
    const mod = (await import('#shared/demo/seed.ts' as string)) as { seedDemoContent?: (deps: SeedDeps) => unknown };
    if (typeof mod.seedDemoContent === 'function') {
      await mod.seedDemoContent({
        db,
        tableName: table.name,
        shopId: DEMO_SHOP_ID,
        staff: staff.map(({ sub, email, name, roles, locale }) => ({ sub, email, name, roles, locale })),
        now,
        log,
      });
    }
  }
  await db.send(new PutCommand({ TableName: table.name, Item: { ...SEED_MARKER, version: SEED_VERSION, seededAt: createdAt } }));
  log('seeded demo data (accounts, staff profiles, demo shop)');
  return true;
}
