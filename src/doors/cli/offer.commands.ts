import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IntakeError } from '../../core/intake-error';
import { isRecordType } from '../../core/record-type';
import { DRY_RUN_START_MESSAGE, ImportView, START_MESSAGE } from '../../engine/imports/import-view';
import { CancelImport } from '../../engine/use-cases/cancel/use-case';
import { ChangeMapping } from '../../engine/use-cases/change-mapping/use-case';
import { ChooseSheet } from '../../engine/use-cases/choose-sheet/use-case';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { ImportReport } from '../../engine/use-cases/report/use-case';
import { StartImport } from '../../engine/use-cases/start/use-case';
import { UpdateExisting } from '../../engine/use-cases/update-existing/use-case';
import { isOnDuplicate } from '../../engine/imports/import.schema';
import { CliContext, openContext } from './cli-context';
import { nextSteps } from './cli-next-steps';
import { formatMapping, formatSummary } from './cli-output';
import { CLI, parseMappingArg, waitForEnd } from './import.command';

interface Io {
  json(on: boolean): void;
  workspace(): string | undefined;
}

async function within<T>(io: Io, worker: boolean, fn: (ctx: CliContext) => Promise<T>) {
  const ctx = await openContext({ worker, workspace: io.workspace() });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** The import as the CLI answers after an act: its mapping while it awaits one, else its summary. */
function answer(view: ImportView, json: boolean): string {
  if (json) return `${JSON.stringify({ ...view, next: nextSteps(view) })}\n`;
  return view.status === 'awaiting_mapping'
    ? `${formatMapping(view)}${formatSummary(view, null)}`
    : formatSummary(view, null);
}

/**
 * One command per offer of the conversation that `import` and `rollback`/`retry` do not already make:
 * every next step a summary names can be taken from the shell.
 */
export function registerOfferCommands(program: Command, io: Io): void {
  program
    .command('start <importId>')
    .description(
      'start an import awaiting its mapping, or run a finished dry run for real, and wait for its end',
    )
    .option('--dry-run', 'validate and report without writing records')
    .option('--on-duplicate <policy>', 'existing records: skip, update or fill')
    .option('--json', 'print JSON')
    .option('--no-worker', 'do not process imports in this process (a worker elsewhere will)')
    .action(
      async (
        id: string,
        opts: { dryRun?: boolean; onDuplicate?: string; json?: boolean; worker?: boolean },
      ) => {
        io.json(Boolean(opts.json));
        if (opts.onDuplicate !== undefined && !isOnDuplicate(opts.onDuplicate))
          throw new IntakeError('invalid_request', '--on-duplicate is skip, update or fill.');
        await within(io, opts.worker !== false, async (ctx) => {
          const started = await ctx.app.get(StartImport).execute({
            workspaceId: ctx.workspaceId,
            importId: id,
            actor: CLI,
            dryRun: opts.dryRun,
            byPerson: true,
            ...(opts.onDuplicate ? { onDuplicate: opts.onDuplicate as never } : {}),
          });

          process.stderr.write(`${started.import.dryRun ? DRY_RUN_START_MESSAGE : START_MESSAGE}\n`);
          const done = opts.worker === false ? started.import : await waitForEnd(ctx, started.import, false);
          process.stdout.write(answer(done, Boolean(opts.json)));
        });
      },
    );

  const act = (
    name: string,
    description: string,
    run: (
      ctx: CliContext,
      at: { workspaceId: string; importId: string; actor: typeof CLI },
      arg?: string,
    ) => Promise<ImportView>,
    withArg = false,
  ) =>
    program
      .command(withArg ? `${name} <importId> <value>` : `${name} <importId>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (id: string, arg: unknown, maybeOpts?: unknown) => {
        const opts = ((withArg ? maybeOpts : arg) ?? {}) as { json?: boolean };
        io.json(Boolean(opts.json));
        await within(io, false, async (ctx) => {
          const at = { workspaceId: ctx.workspaceId, importId: id, actor: CLI };
          const view = await run(ctx, at, withArg ? String(arg) : undefined);
          process.stdout.write(answer(view, Boolean(opts.json)));
        });
      });

  act('cancel', 'cancel an import (a running one finishes the rows in flight first)', (ctx, at) =>
    ctx.app.get(CancelImport).execute(at),
  );
  act(
    'sheet',
    "read another sheet of an import's workbook (by name or number) while it awaits its mapping",
    (ctx, at, sheet) => ctx.app.get(ChooseSheet).execute({ ...at, sheet: sheet! }),
    true,
  );
  act(
    'type',
    'import the file as clients, leads or companies instead (the mapping is suggested again)',
    (ctx, at, type) => {
      if (!isRecordType(type))
        throw new IntakeError('invalid_type', 'The type is clients, leads or companies.');
      return ctx.app.get(ChangeMapping).execute({ ...at, type });
    },
    true,
  );
  act(
    'map',
    'correct the mapping: {"<column>": "<field or null>"} (JSON, or a file holding it)',
    (ctx, at, json) => ctx.app.get(ChangeMapping).execute({ ...at, byHeader: parseMappingArg(json)! }),
    true,
  );
  act(
    'update-existing',
    'import the file again with the same mapping, updating the records that already existed',
    (ctx, at) => ctx.app.get(UpdateExisting).execute(at),
  );

  program
    .command('report <importId>')
    .description("write an import's report: every skipped row and every row imported with a warning")
    .option('--out <file>', 'where to write the CSV (default: intake-<id>-skipped-rows.csv)')
    .action(async (id: string, opts: { out?: string }) => {
      await within(io, false, async (ctx) => {
        await ctx.app.get(ImportQueries).get(ctx.workspaceId, id); // an unknown id is refused before a file is made
        const target = resolve(opts.out ?? `intake-${id}-skipped-rows.csv`);
        const lines = ctx.app
          .get(ImportReport)
          .lines({ workspaceId: ctx.workspaceId, importId: id, actor: CLI });
        await pipeline(Readable.from(lines), createWriteStream(target));
        process.stdout.write(`${target}\n`);
      });
    });
}
