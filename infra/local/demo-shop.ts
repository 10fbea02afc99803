import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { table } from '#infra/manifest.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { DEMO_SHOPPER } from '#shared/demo/shopper.ts';
import { keys } from '#shared/store/keys.ts';
import { type SideHandler, sendJson } from './http-gateway.ts';
import { DEMO_SHOP_ID } from './seed.ts';

export const DEMO_IDENTITY_PATH = '/demo-shop/identity';

/**
 * Stands in for the demo shop's backend: it signs the demo shopper's id with the shop's identity
 * secret, as a real shop computes the HMAC server-side and prints it into its page. Local only.
 */
export function demoShopIdentity(db: DynamoDBDocumentClient): SideHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== DEMO_IDENTITY_PATH) return false;
    const shop = (await db.send(new GetCommand({ TableName: table.name, Key: keys.shop(DEMO_SHOP_ID) }))).Item;
    if (!shop) {
      sendJson(res, 404, { message: 'the demo shop is not seeded (start without --no-seed)' });
      return true;
    }
    sendJson(res, 200, { ...DEMO_SHOPPER, hmac: hmacHex(shop.identitySecret as string, DEMO_SHOPPER.id) }, { 'cache-control': 'no-store' });
    return true;
  };
}
