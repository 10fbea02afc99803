import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from './kefu-function.ts';
import { KefuStack, type KefuStackProps } from './kefu-stack.ts';

/** The context (stage, feature flags) in cdk.json, so tests and benchmarks synthesize what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export interface KefuAppOptions {
  /** Cloud assembly folder; the CLI passes it through CDK_OUTDIR when unset. */
  outdir?: string;
  /** Overrides the `stage` context value (default `dev`). */
  stage?: string;
  /** Extra context, e.g. `aws:cdk:bundling-stacks: []` to skip bundling in fast checks. */
  context?: Record<string, unknown>;
  /** Register the cdk-nag AwsSolutions checks on the app (default true: `cdk synth` fails on findings). */
  nag?: boolean;
  stack?: Partial<Omit<KefuStackProps, 'stage'>>;
}

/** Builds the Kefu CDK app in one place so the CLI entry point, tests and benchmarks synthesize the same thing. */
export function createKefuApp(options: KefuAppOptions = {}): { app: App; stack: KefuStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { ...cdkJsonContext(), ...options.context },
  });
  const stage = options.stage ?? String(app.node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) throw new Error(`stage "${stage}" must be kebab-case, at most 16 characters`);
  const accountRole = app.node.tryGetContext('kefu:apiGatewayAccountRole');
  // After a restore (docs/aws.md): `-c kefu:restoredTable=NAME` points the stack at the restored table.
  const restoredTable = app.node.tryGetContext('kefu:restoredTable');
  // A large shop's peak: `-c kefu:apiRateLimit=N` steady requests per second per API stage (docs/scale.md).
  const rateLimit = app.node.tryGetContext('kefu:apiRateLimit');
  if (rateLimit !== undefined && !/^[1-9]\d{0,5}$/.test(String(rateLimit))) {
    throw new Error(`kefu:apiRateLimit "${rateLimit}" must be a whole number of requests per second from 1 to 999999`);
  }
  const stack = new KefuStack(app, `kefu-${stage}`, {
    stage,
    description: `Kefu customer service (${stage})`,
    ...(accountRole === undefined ? {} : { apiGatewayAccountRole: accountRole !== false && accountRole !== 'false' }),
    ...(typeof restoredTable === 'string' && restoredTable ? { restoredTableName: restoredTable } : {}),
    ...(rateLimit === undefined ? {} : { apiRateLimit: Number(rateLimit) }),
    ...options.stack,
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
