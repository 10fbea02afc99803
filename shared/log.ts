import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Kefu logs ids, route keys, counts and error names only: never
 * message text, emails, names, tokens or request bodies (no PII in logs; test/unit/logging).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kefu' });
