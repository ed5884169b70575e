import { SingleBar } from 'cli-progress';
import { targetLabel } from '../../core/custom-field';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fieldDef } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RecordType } from '../../core/record-type';
import { DRY_RUN_START_MESSAGE, ImportView, START_MESSAGE } from '../../engine/imports/import-view';
import type { Actor } from '../../engine/imports/import.schema';
import { nextSteps } from './cli-next-steps';
import { CancelImport } from '../../engine/use-cases/cancel/use-case';
import { ChangeMapping } from '../../engine/use-cases/change-mapping/use-case';
import { ProposeImport } from '../../engine/use-cases/propose/use-case';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { ImportReport } from '../../engine/use-cases/report/use-case';
import { StartImport } from '../../engine/use-cases/start/use-case';
import { isOnDuplicate } from '../../engine/imports/import.schema';
import { isTerminal } from '../../core/lifecycle/import-lifecycle';
import { IMPORT_EVENTS_PORT, ImportEvents } from '../../engine/queue/import-events';
import { CliContext, openContext, whereFields, whereLine } from './cli-context';
import { barPosition, formatMapping, formatSummary } from './cli-output';
import { readinessOf } from '../../engine/conversation/readiness';

/** The CLI names nobody: it acts with the workspace's own rights, like an API key. */
export const CLI: Actor = { door: 'cli', person: null };

export interface ImportFlags {
  type?: string;
  mapping?: string;
  onDuplicate?: string;
  /** commander's --no-link-companies sets it false. */
  linkCompanies?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  report?: string;
  workspace?: string;
  worker?: boolean;
  sheet?: string;
}

export function parseMappingArg(arg: string | undefined): Record<string, string | null> | undefined {
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

/**
 * Refuses before asking when the mapping cannot start, with the command that fixes it: a terminal
 * never offers to start an import that would be refused. What keeps it from starting is the
 * conversation's answer; the CLI only says it with its own flags.
 */
function assertStartable(view: ImportView): void {
  const problem = readinessOf(view).problems[0];
  if (problem?.kind === 'missing') {
    const missing = problem.fields;
    const labels = missing.map((k) => fieldDef(k).label).join(', ');
    throw new IntakeError(
      'missing_required',
      `Required field${missing.length > 1 ? 's' : ''} not mapped: ${labels}. Name the column that holds ` +
        `${missing.length > 1 ? 'them' : 'it'} with --mapping '{"<column>": "${missing[0]}"}', or start from ` +
        `the sample template (intake template ${view.type}).`,
      { missingRequired: missing },
    );
  }
  if (problem?.kind === 'conflict') {
    const heads = problem.headers;
    throw new IntakeError(
      'invalid_mapping',
      `${heads.map((h) => `"${h}"`).join(' and ')} are both mapped to ${targetLabel(problem.field)}. ` +
        `Leave one out with --mapping '{"${heads[heads.length - 1]}": null}'.`,
    );
  }
}

async function confirm(view: ImportView, dryRun: boolean): Promise<boolean> {
  process.stderr.write(formatMapping(view));
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(
    dryRun
      ? 'Check every row with this mapping (a dry run: nothing is written)? [Y/n] '
      : 'Start the import with this mapping? [Y/n] ',
  );
  rl.close();
  return !/^n/i.test(answer.trim());
}

/** A reminder while an import waits for a worker: first after this long, then once a minute. */
const QUEUED_HINT_MS = 15_000;

/**
 * Follows the import's events until it ends: a bar on a terminal, and each change of status on stderr.
 * It never waits in silence: while no worker takes the import, it says so and what to check.
 */
export async function waitForEnd(ctx: CliContext, view: ImportView, showBar: boolean): Promise<ImportView> {
  const imports = ctx.app.get(ImportQueries);
  const events = ctx.app.get<ImportEvents>(IMPORT_EVENTS_PORT);
  const avgRow = Math.max(20, view.fileBytes / Math.max(1, view.columns.length) / 8);
  const estimate = Math.max(1, Math.round(view.fileBytes / avgRow));
  const bar = showBar
    ? new SingleBar({
        format: 'Importing [{bar}] {percentage}% | {value} rows | {counts}',
        stream: process.stderr,
        hideCursor: true,
      })
    : null;
  bar?.start(estimate, 0, { counts: '' });
  const say = (line: string) => {
    if (bar) bar.stop();
    process.stderr.write(`${line}\n`);
    if (bar) bar.start(bar.getTotal(), barPosition(current, estimate).value, { counts: '' });
  };
  let current = view;
  let shownStatus: ImportView['status'] | undefined;
  let queuedSince = Date.now();
  let ended: (v: ImportView) => void = () => undefined;
  const done = new Promise<ImportView>((resolve) => (ended = resolve));
  const show = (next: Pick<ImportView, 'status' | 'counts' | 'committedRow'>) => {
    current = { ...current, ...next };
    const c = current.counts;
    const at = barPosition(current, estimate);
    bar?.setTotal(at.total);
    bar?.update(at.value, {
      counts: `${c.imported} imported, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped`,
    });
    if (current.status !== shownStatus) {
      shownStatus = current.status;
      if (current.status === 'queued') queuedSince = Date.now();
      const line =
        current.status === 'queued' && !current.fileStored ? STORING_LINE : STATUS_LINES[current.status];
      if (line && !isTerminal(current.status)) say(line);
    }
    if (isTerminal(current.status)) ended(current);
  };
  const reread = () => {
    imports.get(ctx.workspaceId, view.id).then(show, () => undefined);
  };
  show(view);
  const unsubscribe = await events.subscribe((e) => {
    if (e.importId === view.id) show(e);
  }, reread);
  reread();
  const hint = setInterval(() => void hintWhileQueued(), 1000);
  const hintWhileQueued = async () => {
    if (current.status !== 'queued') return;
    const waited = Date.now() - queuedSince;
    if (waited < QUEUED_HINT_MS) return;
    queuedSince = Date.now() + 60_000 - QUEUED_HINT_MS;
    // Storing the file is announced by no event: read whether it is done.
    const now = await imports.get(ctx.workspaceId, view.id).catch(() => current);
    current = { ...current, fileStored: now.fileStored };
    if (!now.fileStored) {
      say(`Still storing the file (${Math.round(view.fileBytes / 1048576)} MB) before it runs…`);
      return;
    }
    if (now.waiting) {
      say(`Still queued after ${Math.round(waited / 1000)} s (${now.waiting}).`);
      return;
    }
    say(
      `Still queued after ${Math.round(waited / 1000)} s: no worker has taken it. A worker must run against ` +
        `the same Redis and queue prefix (${ctx.config.queue.prefix}); without --no-worker this command runs one itself.`,
    );
  };
  try {
    await done;
  } finally {
    clearInterval(hint);
    await unsubscribe();
  }
  if (bar) {
    // The estimate came from the file's size: at the end the bar shows the rows really read.
    const at = barPosition(current, estimate);
    bar.setTotal(at.total);
    bar.update(at.value);
    bar.stop();
  }
  return imports.get(ctx.workspaceId, view.id);
}

/** A queued import whose file is still on its way into the database runs once it is there. */
const STORING_LINE = 'Queued: storing the file first…';

const STATUS_LINES: Partial<Record<ImportView['status'], string>> = {
  queued: 'Queued: waiting for a worker…',
  running: 'Running…',
  cancelling: 'Cancelling: finishing the rows in flight…',
};

export async function writeReport(ctx: CliContext, view: ImportView, path: string | undefined) {
  if (view.counts.skipped + view.counts.flagged === 0) return null;
  const target = resolve(path ?? `intake-${view.id}-skipped-rows.csv`);
  // Streamed: a dry run against existing records reports every row, more than a capped heap holds.
  const lines = ctx.app
    .get(ImportReport)
    .lines({ workspaceId: ctx.workspaceId, importId: view.id, actor: CLI });
  await pipeline(Readable.from(lines), createWriteStream(target));
  return target;
}

export async function runImport(file: string, flags: ImportFlags): Promise<number> {
  if (!flags.type || !isRecordType(flags.type)) {
    throw new IntakeError('invalid_type', '--type must be clients, leads or companies.');
  }
  const onDuplicate = flags.onDuplicate ?? 'skip';
  if (!isOnDuplicate(onDuplicate))
    throw new IntakeError('invalid_request', '--on-duplicate is skip, update or fill.');
  const mapping = parseMappingArg(flags.mapping);
  if (!existsSync(file)) throw new IntakeError('invalid_request', `No such file: ${file}`);
  const ctx = await openContext({ worker: flags.worker !== false, workspace: flags.workspace });
  try {
    const ws = ctx.workspaceId;
    const type: RecordType = flags.type;
    let view = await ctx.app.get(ProposeImport).execute({
      workspaceId: ws,
      actor: CLI,
      source: createReadStream(file),
      fileName: basename(file),
      type,
      sheet: flags.sheet,
    });
    const at = { workspaceId: ws, importId: view.id, actor: CLI };
    try {
      if (mapping) view = await ctx.app.get(ChangeMapping).execute({ ...at, byHeader: mapping });
      assertStartable(view);
      if (!flags.yes) {
        if (!process.stdin.isTTY) {
          // Nobody can be asked: show what --yes would start, so the next command is an informed one.
          if (!flags.json) process.stderr.write(formatMapping(view));
          throw new IntakeError(
            'invalid_request',
            'Confirm the mapping with --yes (there is no terminal to ask on), or correct it with ' +
              `--mapping '{"<column>": "<field>"}' first.`,
          );
        }
        if (!(await confirm(view, Boolean(flags.dryRun)))) {
          await ctx.app.get(CancelImport).execute(at);
          process.stderr.write('Cancelled; nothing was imported.\n');
          return 1;
        }
      }
      const started = await ctx.app.get(StartImport).execute({
        ...at,
        dryRun: flags.dryRun,
        onDuplicate,
        linkCompanies: flags.linkCompanies !== false,
        byPerson: true,
      });
      process.stderr.write(`${flags.dryRun ? DRY_RUN_START_MESSAGE : START_MESSAGE}\n`);
      view = started.import;
    } catch (e) {
      await ctx.app
        .get(CancelImport)
        .execute(at)
        .catch(() => undefined);
      throw e;
    }
    const done = await waitForEnd(ctx, view, !flags.json && Boolean(process.stderr.isTTY));
    const report = await writeReport(ctx, done, flags.report);
    if (flags.json) {
      const out = {
        importId: done.id,
        status: done.status,
        counts: done.counts,
        report,
        ...(done.error ? { error: done.error } : {}),
        next: nextSteps(done),
        ...whereFields(ctx),
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
      process.stdout.write(
        formatSummary(
          done,
          report,
          report ? await ctx.app.get(ImportReport).topReasons(at) : undefined,
          whereLine(ctx),
        ),
      );
    }
    return done.status === 'completed' ? 0 : 1;
  } finally {
    await ctx.close();
  }
}
