/**
 * List prices (us-east-1, on-demand, first pricing tier, no free tier) the cost bench multiplies its
 * counts by, and that arithmetic. Taken on PRICES_TAKEN from the AWS pricing pages named below
 * (DynamoDB on-demand since the November 2024 price cut).
 */

export const PRICES_TAKEN = '2026-12-03';

export const PRICES = {
  /** aws.amazon.com/dynamodb/pricing/on-demand: $0.625 per million write request units. */
  dynamoWru: 0.625 / 1e6,
  /** $0.125 per million read request units. */
  dynamoRru: 0.125 / 1e6,
  /** aws.amazon.com/sqs/pricing: standard queue, $0.40 per million requests (64 KB chunks). */
  sqsRequest: 0.4 / 1e6,
  /** aws.amazon.com/lambda/pricing: $0.20 per million requests. */
  lambdaRequest: 0.2 / 1e6,
  /** x86, $0.0000166667 per GB-second. */
  lambdaGbSecond: 0.0000166667,
  /** aws.amazon.com/api-gateway/pricing: WebSocket $1.00 per million messages (32 KB increments). */
  wsMessage: 1 / 1e6,
  /** WebSocket $0.25 per million connection minutes. */
  wsConnectionMinute: 0.25 / 1e6,
  /** HTTP API $1.00 per million requests (512 KB increments). */
  httpRequest: 1 / 1e6,
  /** aws.amazon.com/cloudwatch/pricing: Logs ingestion (standard) $0.50 per GB. */
  logGb: 0.5,
} as const;

/** What one conversation used, as counted (or, where marked, modelled) by the bench. */
export interface ConversationUsage {
  wru: number;
  rru: number;
  sqsRequests: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  wsMessages: number;
  wsConnectionMinutes: number;
  httpRequests: number;
  logBytes: number;
}

export interface CostLine {
  item: string;
  /** Units per conversation. */
  perConversation: number;
  unitPrice: number;
  /** $ per 1,000 conversations. */
  perThousand: number;
  arithmetic: string;
}

const GB = 1024 ** 3;

function fmt(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

/** $ per 1,000 conversations, line by line, with the multiplication written out. */
export function costLines(u: ConversationUsage): CostLine[] {
  const line = (item: string, perConversation: number, unitPrice: number, unit: string, priceText: string): CostLine => {
    const perThousand = perConversation * 1000 * unitPrice;
    return {
      item,
      perConversation,
      unitPrice,
      perThousand,
      arithmetic: `${fmt(perConversation)} ${unit} × 1,000 × ${priceText} = $${perThousand.toFixed(4)}`,
    };
  };
  return [
    line('DynamoDB writes', u.wru, PRICES.dynamoWru, 'WRU', '$0.625/M'),
    line('DynamoDB reads', u.rru, PRICES.dynamoRru, 'RRU', '$0.125/M'),
    line('SQS requests', u.sqsRequests, PRICES.sqsRequest, 'req', '$0.40/M'),
    line('Lambda requests', u.lambdaInvocations, PRICES.lambdaRequest, 'inv', '$0.20/M'),
    line('Lambda duration', u.lambdaGbSeconds, PRICES.lambdaGbSecond, 'GB-s', '$0.0000166667'),
    line('WebSocket messages', u.wsMessages, PRICES.wsMessage, 'msg', '$1.00/M'),
    line('WebSocket connection', u.wsConnectionMinutes, PRICES.wsConnectionMinute, 'min', '$0.25/M'),
    line('HTTP API requests', u.httpRequests, PRICES.httpRequest, 'req', '$1.00/M'),
    line('CloudWatch Logs', u.logBytes / GB, PRICES.logGb, 'GB', '$0.50/GB'),
  ];
}

export const totalPerThousand = (lines: readonly CostLine[]) => lines.reduce((s, l) => s + l.perThousand, 0);
