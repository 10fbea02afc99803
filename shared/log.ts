import { Logger } from '@aws-lambda-powertools/logger';
import { maskText } from '#shared/text/masking.ts';

/**
 * The one structured logger. Kefu logs ids, route keys, counts and error names only: never
 * message text, emails, names, tokens or request bodies (no PII in logs; test/unit/logging).
 * As a second line of defence every string that still reaches a log line (an error message that
 * quotes its input, say) has phone numbers, emails, ID and card numbers masked by the rules of the
 * agent view (shared/text/masking.ts).
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kefu',
  jsonReplacerFn: (_key, value) => (typeof value === 'string' ? maskText(value) : value),
});
