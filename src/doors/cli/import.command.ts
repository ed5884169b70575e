import { SingleBar } from 'cli-progress';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RecordType } from '../../core/record-type';
import { ImportView, START_MESSAGE } from '../../engine/imports/import-view';
import { ImportService } from '../../engine/imports/import.service';
import { isTerminal, OnDuplicate } from '../../engine/imports/import.schema';
import { openContext } from './cli-context';
import { formatMapping, formatSummary } from './cli-output';

export interface ImportFlags {
  type?: string;
  mapping?: string;
  onDuplicate?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  report?: string;
  workspace?: string;
  worker?: boolean;
}

function parseMappingArg(arg: string | undefined): Record<string, string | null> | undefined {
  if (!arg) return undefined;
  const text = arg.trim().startsWith('{') ? arg : existsSync(arg) ? readFileSync(arg, 'utf8') : arg;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, string | null>;
  } catch {
    // fall through to the message below
  }
  throw new IntakeError(
    'invalid_mapping',
    '--mapping takes JSON such as {"Mobile #": "phone", "Notes": null}, or a file holding it.',
  );
}

async function confirm(view: ImportView): Promise<boolean> {
  process.stderr.write(formatMapping(view));
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question('Start the import with this mapping? [Y/n] ');
  rl.close();
  return !/^n/i.test(answer.trim());
}

/** Polls until the import ends; a bar on a terminal, nothing otherwise. */
async function waitForEnd(
  imports: ImportService,
  ws: string,
  view: ImportView,
  showBar: boolean,
): Promise<ImportView> {
  const avgRow = Math.max(20, view.fileBytes / Math.max(1, view.columns.length) / 8);
  const estimate = Math.max(1, Math.round(view.fileBytes / avgRow));
  const bar = showBar
    ? new SingleBar({
        format: 'Importing [{bar}] {percentage}% | row {value} | {counts}',
        stream: process.stderr,
        hideCursor: true,
      })
    : null;
  bar?.start(estimate, 0, { counts: '' });
  let current = view;
  while (!isTerminal(current.status)) {
    await new Promise((r) => setTimeout(r, 250));
    current = await imports.get(ws, view.id);
    const c = current.counts;
    bar?.setTotal(Math.max(estimate, current.committedRow + 1));
    bar?.update(current.committedRow, {
      counts: `${c.imported} imported, ${c.updated} updated, ${c.skipped} skipped`,
    });
  }
  if (bar) {
    bar.update(bar.getTotal());
    bar.stop();
  }
  return current;
}

async function writeReport(imports: ImportService, ws: string, view: ImportView, path: string | undefined) {
  if (view.counts.skipped === 0) return null;
  const target = resolve(path ?? `intake-${view.id}-skipped-rows.csv`);
  const chunks: string[] = [];
  for await (const line of imports.report(ws, view.id)) chunks.push(line);
  writeFileSync(target, chunks.join(''));
  return target;
}

export async function runImport(file: string, flags: ImportFlags): Promise<number> {
  if (!flags.type || !isRecordType(flags.type)) {
    throw new IntakeError('invalid_type', '--type must be clients, leads or companies.');
  }
  const onDuplicate = (flags.onDuplicate ?? 'skip') as OnDuplicate;
  if (!['skip', 'update'].includes(onDuplicate))
    throw new IntakeError('invalid_request', '--on-duplicate is skip or update.');
  const mapping = parseMappingArg(flags.mapping);
  if (!existsSync(file)) throw new IntakeError('invalid_request', `No such file: ${file}`);
  const ctx = await openContext({ worker: flags.worker !== false, workspace: flags.workspace });
  try {
    const imports = ctx.app.get(ImportService);
    const ws = ctx.workspaceId;
    const type: RecordType = flags.type;
    let view = await imports.upload(ws, createReadStream(file), {
      fileName: basename(file),
      type,
      channel: 'cli',
    });
    try {
      if (mapping) view = await imports.changeMapping(ws, view.id, undefined, { byHeader: mapping });
      if (!flags.yes) {
        if (!process.stdin.isTTY) {
          throw new IntakeError(
            'invalid_request',
            'Confirm the mapping with --yes (there is no terminal to ask on).',
          );
        }
        if (!(await confirm(view))) {
          await imports.cancel(ws, view.id);
          process.stderr.write('Cancelled; nothing was imported.\n');
          return 1;
        }
      }
      const started = await imports.start(ws, view.id, { dryRun: flags.dryRun, onDuplicate });
      process.stderr.write(`${START_MESSAGE}\n`);
      view = started.import;
    } catch (e) {
      await imports.cancel(ws, view.id).catch(() => undefined);
      throw e;
    }
    const done = await waitForEnd(imports, ws, view, !flags.json && Boolean(process.stderr.isTTY));
    const report = await writeReport(imports, ws, done, flags.report);
    if (flags.json) {
      const out = {
        importId: done.id,
        status: done.status,
        counts: done.counts,
        report,
        ...(done.error ? { error: done.error } : {}),
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
      process.stdout.write(formatSummary(done, report));
    }
    return done.status === 'completed' ? 0 : 1;
  } finally {
    await ctx.close();
  }
}
