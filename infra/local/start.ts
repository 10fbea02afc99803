import { parseArgs } from 'node:util';
import { PortInUseError } from './listen.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from './seed.ts';
import { startLocalStack } from './stack.ts';

const HELP = `Usage: npm start -- [options]

Runs Kefu on this machine from infra/manifest.ts: DynamoDB (dynalite), SQS (local-aws-sqs),
the HTTP and WebSocket APIs, the local staff sign-in and the web apps, all on one port.

Options:
  --port N          gateway port (default 4100, or $KEFU_PORT)
  --data-dir DIR    where data is kept between runs (default .kefu/data)
  --memory          throwaway in-memory store (or KEFU_MEMORY=1)
  --no-seed         do not create the demo accounts and shop
  --quiet           no request log
  --tick SECONDS    run the every-minute schedules (campaign tick, survey sweep, webhook
                    dispatch) every SECONDS instead (tests; default: as in the manifest)
  -h, --help        this help
`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Parses the command line (flags override KEFU_PORT / KEFU_MEMORY). */
function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        memory: { type: 'boolean' },
        'no-seed': { type: 'boolean' },
        quiet: { type: 'boolean' },
        tick: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
  if (parsed.help) {
    console.log(HELP);
    process.exit(0);
  }
  const portText = parsed.port ?? process.env.KEFU_PORT ?? '4100';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: "${portText}" is not a port number`);
  const tick = parsed.tick === undefined ? undefined : Number(parsed.tick);
  if (tick !== undefined && !(tick >= 0.1 && tick <= 60)) fail(`--tick: "${parsed.tick}" is not a number of seconds between 0.1 and 60`);
  return {
    tick,
    port,
    dataDir: parsed['data-dir'] ?? '.kefu/data',
    memory: parsed.memory ?? process.env.KEFU_MEMORY === '1',
    seed: !parsed['no-seed'],
    quiet: parsed.quiet ?? false,
  };
}

const { tick, ...opts } = options();
const startedAt = performance.now();
let stack;
try {
  stack = await startLocalStack({ ...opts, ...(tick !== undefined ? { tickSeconds: tick } : {}) });
} catch (err) {
  if (err instanceof PortInUseError) fail(err.message);
  fail(`kefu local: could not start: ${(err as Error).message}`);
}

const { urls } = stack;
const width = Math.max(...DEMO_STAFF.map((s) => s.email.length));
console.log(`
Kefu is running locally (ready in ${Math.round(performance.now() - startedAt)} ms, ${opts.memory ? 'in-memory store' : `data in ${stack.dataDir}`})

  Demo shop      ${urls.demo}
  Console        ${urls.console}
  API            ${urls.api}
  WebSocket      ${urls.ws}
  API docs       ${urls.docs}  (OpenAPI: ${urls.api}/openapi.json)
  DynamoDB       ${stack.dynamoEndpoint}  (table Kefu; local tools and tests)
${
  opts.seed
    ? `
  Demo logins (password: ${DEMO_PASSWORD})
${DEMO_STAFF.map((s) => `    ${s.email.padEnd(width)}  ${s.roles.join(', ')}`).join('\n')}
`
    : ''
}${stack.failedToLoad.length ? `\n  Not loaded (their routes answer 502): ${stack.failedToLoad.join(', ')}\n` : ''}
Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = () => {
  if (stopping) process.exit(130);
  stopping = true;
  console.log('\nstopping…');
  stack.stop().then(
    () => process.exit(0),
    (err: unknown) => fail(`kefu local: stop failed: ${(err as Error).message}`),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
