#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import mongoose from 'mongoose';
import { loadConfig } from '../../config/app-config';
import { FieldKey } from '../../core/field-catalog';
import { isIntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES, RecordType } from '../../core/record-type';
import { sampleTemplate } from '../../core/template/sample-template';
import { normalizeHeader } from '../../core/mapping/header-normalize';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { RetryImport } from '../../engine/use-cases/retry/use-case';
import { UndoImport } from '../../engine/use-cases/undo/use-case';
import { cliEnvironment, unpointedMessage } from '../../config/cli-environment';
import { CliContext, openContext, whereFields, whereLine } from './cli-context';
import { formatSuggestion, formatSummary } from './cli-output';
import { probeFile, suggestFor } from './file-probe';
import { CLI, runImport } from './import.command';
import { registerWorkspaceCommands } from './workspace.command';
import { registerOfferCommands } from './offer.commands';
import { registerMappingsCommands } from './mappings.command';

let jsonMode = false;

/** Rejections keep the contract: JSON on stdout with exit 2 under --json, a plain message otherwise. */
function reject(e: unknown): never {
  if (isIntakeError(e)) {
    if (jsonMode)
      process.stdout.write(
        `${JSON.stringify({ status: 'rejected', error: { code: e.code, message: e.message } })}\n`,
      );
    else process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  const message = e instanceof Error ? e.message : String(e);
  if (jsonMode)
    process.stdout.write(`${JSON.stringify({ status: 'error', error: { code: 'internal', message } })}\n`);
  else process.stderr.write(`intake: ${message}\n`);
  process.exit(1);
}

function typeArg(value: string): RecordType {
  if (!isRecordType(value)) throw new Error(`type must be one of ${RECORD_TYPES.join(', ')}`);
  return value;
}

/** Learned mappings of the workspace when its database answers quickly; suggestions work offline too. */
async function loadLearned(
  mongoUri: string,
  workspaceId: string,
): Promise<Map<RecordType, Map<string, FieldKey | null>>> {
  const out = new Map<RecordType, Map<string, FieldKey | null>>();
  const conn = mongoose.createConnection(mongoUri, { serverSelectionTimeoutMS: 1500 });
  try {
    await conn.asPromise();
    const rows = await conn.collection('mapping_memory').find({ workspaceId }).toArray();
    for (const r of rows) {
      const t = r.type as RecordType;
      if (!out.has(t)) out.set(t, new Map());
      out.get(t)!.set(normalizeHeader(String(r.header)), (r.field ?? null) as FieldKey | null);
    }
  } catch {
    // no database at hand: suggest from the catalog alone
  } finally {
    await conn.close().catch(() => undefined);
  }
  return out;
}

export function buildProgram(): Command {
  const program = new Command('intake')
    .description('Import clients, leads and companies from CSV files and Excel workbooks')
    .option('-w, --workspace <id>', 'workspace to act in (default: INTAKE_WORKSPACE or "default")');

  program
    .command('template <type>')
    .description('write the sample CSV of a type')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((type: string, opts: { output?: string }) => {
      const csv = sampleTemplate(typeArg(type));
      if (opts.output) writeFileSync(opts.output, csv);
      else process.stdout.write(csv);
    });

  program
    .command('suggest <file>')
    .description('propose a field for each column of a CSV or Excel workbook')
    .option('-t, --type <type>', 'clients, leads or companies (guessed when left out)')
    .option('--json', 'print JSON')
    .option('--offline', 'do not look up mappings learned in the workspace')
    .option('-s, --sheet <name|N>', "a workbook's sheet (default: the first visible one holding data)")
    .action(
      async (file: string, opts: { type?: string; json?: boolean; offline?: boolean; sheet?: string }) => {
        jsonMode = Boolean(opts.json);
        const type = opts.type ? typeArg(opts.type) : undefined;
        const where = cliEnvironment();
        const config = loadConfig(where.env);
        const { layout } = await probeFile(file, config.limits, opts.sheet);
        const ws =
          program.opts<{ workspace?: string }>().workspace ??
          config.cliWorkspace ??
          config.defaultWorkspace.id;
        // Learned mappings come only from a database the CLI was pointed at, never from a default address.
        if (!opts.offline && where.missing.length)
          process.stderr.write(`${unpointedMessage(where)} Suggesting without learned mappings.\n`);
        const learned =
          opts.offline || where.missing.length ? new Map() : await loadLearned(config.mongoUri, ws);
        const out = suggestFor(layout, type, (t) => learned.get(t) ?? new Map());
        process.stdout.write(opts.json ? `${JSON.stringify(out)}\n` : formatSuggestion(out));
      },
    );

  program
    .command('import <file>')
    .description('import a CSV or Excel workbook through the queue and wait for the summary')
    .requiredOption('-t, --type <type>', 'clients, leads or companies')
    .option('-s, --sheet <name|N>', "a workbook's sheet (default: the first visible one holding data)")
    .option('-m, --mapping <json|file>', 'corrections: {"<header>": "<field or null>"}')
    .option(
      '--on-duplicate <policy>',
      'existing records: skip, update (the row overwrites) or fill (only empty fields)',
      'skip',
    )
    .option('--dry-run', 'validate and report without writing records')
    .option('--no-link-companies', 'do not link clients and leads to companies, nor create any')
    .option('-y, --yes', 'accept the mapping without asking')
    .option('--json', 'print one JSON object')
    .option('--report <file>', 'where to write the skipped-rows CSV')
    .option('--no-worker', 'do not process imports in this process (a worker elsewhere will)')
    .action(async (file: string, opts: Record<string, unknown>) => {
      jsonMode = Boolean(opts.json);
      const code = await runImport(file, {
        ...opts,
        workspace: program.opts<{ workspace?: string }>().workspace,
      });
      process.exit(code);
    });

  program
    .command('status [importId]')
    .description("an import's status, or the workspace's recent imports")
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: { json?: boolean }) => {
      jsonMode = Boolean(opts.json);
      await withContext(program, async (ctx) => {
        const queries = ctx.app.get(ImportQueries);
        if (!id) {
          const list = await queries.list(ctx.workspaceId, 20);
          if (opts.json) process.stdout.write(`${JSON.stringify(list)}\n`);
          else {
            process.stdout.write(`Imports of ${whereLine(ctx)}\n`);
            list.forEach((v) => process.stdout.write(`${v.id}  ${v.type}  ${v.status}  ${v.fileName}\n`));
          }
          return;
        }
        const out = await queries.get(ctx.workspaceId, id);
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...out, ...whereFields(ctx) })}\n`);
        else process.stdout.write(formatSummary(out, null, undefined, whereLine(ctx)));
      });
    });

  program
    .command('rollback <importId>')
    .description('undo an import: delete what it created, restore what it changed')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      jsonMode = Boolean(opts.json);
      await withContext(program, async (ctx) => {
        const out = await ctx.app
          .get(UndoImport)
          .execute({ workspaceId: ctx.workspaceId, importId: id, actor: CLI });
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ ...out, ...whereFields(ctx) })}\n`
            : formatSummary(out, null, undefined, whereLine(ctx)),
        );
      });
    });

  program
    .command('retry <importId>')
    .description('resume a failed import after its last committed row (a worker must be running)')
    .action(async (id: string) => {
      await withContext(program, async (ctx) => {
        const out = await ctx.app
          .get(RetryImport)
          .execute({ workspaceId: ctx.workspaceId, importId: id, actor: CLI });
        process.stdout.write(formatSummary(out, null, undefined, whereLine(ctx)));
      });
    });

  registerOfferCommands(program, {
    json: (on) => {
      jsonMode = on;
    },
    workspace: () => program.opts<{ workspace?: string }>().workspace,
  });
  registerWorkspaceCommands(program);
  registerMappingsCommands(program);
  return program;
}

async function withContext(program: Command, fn: (ctx: CliContext) => Promise<void>): Promise<void> {
  const ctx = await openContext({
    worker: false,
    workspace: program.opts<{ workspace?: string }>().workspace,
  });
  try {
    await fn(ctx);
  } finally {
    await ctx.close();
  }
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .then(() => process.exit(0))
    .catch(reject);
}
