import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { QueueName } from '#infra/manifest.ts';
import { createKefuApp } from './create-app.ts';
import { logicalIdOf } from './kefu-function.ts';
import type { KefuStack } from './kefu-stack.ts';

export interface FunctionArtifact {
  logicalId: string;
  roleLogicalId: string;
  /** As synthesized: plain strings, or CloudFormation intrinsics for values known only at deploy time. */
  environment: Record<string, unknown>;
  timeoutSeconds: number;
  memoryMb: number;
  /** Synthesized asset folder with index.mjs; absent when bundling was skipped. */
  assetDir?: string;
}

/** Where things ended up in a synthesized cloud assembly, keyed by manifest names. */
export interface SynthIndex {
  outdir: string;
  stackName: string;
  /** The stack with its nested stacks' resources merged in, cross-stack parameters replaced by their values. */
  templateFile: string;
  tableLogicalId: string;
  userPoolLogicalId: string;
  userPoolClientLogicalId: string;
  httpApiLogicalId: string;
  webSocketApiLogicalId: string;
  functions: Record<string, FunctionArtifact>;
  queues: Record<QueueName, { logicalId: string; dlqLogicalId: string }>;
}

export const INDEX_FILE = 'kefu-index.json';
/** The stack and its nested stacks as one template (see flatten). */
export const FLAT_TEMPLATE_FILE = 'kefu-flat.template.json';

export interface SynthOptions {
  outdir: string;
  stage?: string;
  /** Bundle the Lambda code (default true); false is much faster for template-only checks. */
  bundle?: boolean;
  /** Register cdk-nag on the app as `cdk synth` does (default false: read findings with nagReport instead). */
  nag?: boolean;
  /** More context, e.g. `kefu:restoredTable` (the restore runbook's switch-over). */
  context?: Record<string, unknown>;
}

/** Synthesizes the Kefu app into `outdir` and writes an index of its resources and Lambda assets. */
export function synthesizeKefu(opts: SynthOptions): { app: App; stack: KefuStack; index: SynthIndex } {
  const { app, stack } = createKefuApp({
    outdir: opts.outdir,
    stage: opts.stage ?? 'test',
    nag: opts.nag ?? false,
    context: { ...(opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}), ...opts.context },
  });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const template = flatten(stack, assembly.directory, artifact.templateFile) as {
    Resources: Record<
      string,
      {
        Type: string;
        Properties?: {
          Code?: { S3Key?: string };
          Environment?: { Variables?: Record<string, unknown> };
          Timeout?: number;
          MemorySize?: number;
        };
      }
    >;
  };
  const functions: Record<string, FunctionArtifact> = {};
  for (const [name, fn] of stack.functions) {
    const logicalId = logicalIdOf(fn);
    const props = template.Resources[logicalId]?.Properties ?? {};
    const key = props.Code?.S3Key;
    const assetDir = key ? join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`) : undefined;
    functions[name] = {
      logicalId,
      roleLogicalId: logicalIdOf(fn.executionRole),
      environment: props.Environment?.Variables ?? {},
      timeoutSeconds: props.Timeout ?? 3,
      memoryMb: props.MemorySize ?? 128,
      ...(assetDir && opts.bundle !== false && existsSync(join(assetDir, 'index.mjs')) ? { assetDir } : {}),
    };
  }
  const queues = {} as SynthIndex['queues'];
  for (const [name, queue] of stack.queues) {
    queues[name] = { logicalId: logicalIdOf(queue), dlqLogicalId: logicalIdOf(queue.deadLetters) };
  }
  const templateFile = join(assembly.directory, FLAT_TEMPLATE_FILE);
  writeFileSync(templateFile, JSON.stringify(template, null, 1));
  const index: SynthIndex = {
    outdir: assembly.directory,
    stackName: stack.stackName,
    templateFile,
    tableLogicalId: stack.table.node.defaultChild ? logicalIdOf(stack.table) : '',
    userPoolLogicalId: logicalIdOf(stack.staff.userPool),
    userPoolClientLogicalId: logicalIdOf(stack.staff.consoleClient),
    httpApiLogicalId: logicalIdOf(stack.httpApi),
    webSocketApiLogicalId: logicalIdOf(stack.webSocketApi),
    functions,
    queues,
  };
  writeFileSync(join(assembly.directory, INDEX_FILE), JSON.stringify(index, null, 2));
  return { app, stack, index };
}

/** Reads the index a previous synthesizeKefu wrote. */
export function readSynthIndex(outdir: string): SynthIndex {
  return JSON.parse(readFileSync(join(outdir, INDEX_FILE), 'utf8')) as SynthIndex;
}

interface TemplateJson {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  [section: string]: unknown;
}

/**
 * One template for the whole app: the parent's resources plus every nested stack's, with each
 * `{ Ref: parameter }` inside a nested stack replaced by the value the parent passes in. Tests and
 * tools can then follow references (a function's TABLE_NAME → the table) as if it were one stack.
 */
function flatten(stack: Stack, directory: string, templateFile: string): TemplateJson {
  const merged = JSON.parse(readFileSync(join(directory, templateFile), 'utf8')) as TemplateJson;
  for (const nested of stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c))) {
    if (Stack.of(nested.node.scope as Construct) !== stack) throw new Error(`nested stacks inside ${nested.node.path} are not supported`);
    const resource = nested.nestedStackResource;
    if (!(resource instanceof CfnElement)) throw new Error(`no stack resource for ${nested.node.path}`);
    const parameters = (merged.Resources[stack.getLogicalId(resource)]?.Properties?.Parameters ?? {}) as Record<string, unknown>;
    const inner = JSON.parse(readFileSync(join(directory, nested.templateFile), 'utf8')) as TemplateJson;
    const substituted = substitute(inner.Resources, parameters) as TemplateJson['Resources'];
    for (const [id, value] of Object.entries(substituted)) {
      if (id in merged.Resources) throw new Error(`logical id ${id} occurs in ${nested.node.path} and elsewhere`);
      merged.Resources[id] = value;
    }
  }
  return merged;
}

function substitute(value: unknown, parameters: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, parameters));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'Ref' && typeof entries[0]![1] === 'string' && entries[0]![1] in parameters) {
    return parameters[entries[0]![1]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, substitute(v, parameters)]));
}
