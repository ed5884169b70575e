import { Command } from 'commander';
import { targetLabel } from '../../core/custom-field';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES, RecordType } from '../../core/record-type';
import { LearnedMappings, LearnedMappingView } from '../../engine/workspaces/learned-mappings';
import { openContext } from './cli-context';

const say = (line: string) => process.stdout.write(`${line}\n`);

function recordType(value: string): RecordType {
  if (!isRecordType(value))
    throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
  return value;
}

async function withLearned<T>(
  program: Command,
  fn: (learned: LearnedMappings, ws: string) => Promise<T>,
): Promise<T> {
  const ctx = await openContext({
    worker: false,
    workspace: program.opts<{ workspace?: string }>().workspace,
  });
  try {
    return await fn(ctx.app.get(LearnedMappings), ctx.workspaceId);
  } finally {
    await ctx.close();
  }
}

function describe(m: LearnedMappingView): string {
  const field = m.field ? targetLabel(m.field) : "don't import";
  const day = new Date(m.learnedFrom.at).toISOString().slice(0, 10);
  const from = m.learnedFrom.importId
    ? `${m.learnedFrom.fileName ?? 'a file'} (import ${m.learnedFrom.importId}, ${day})`
    : `an import (${day})`;
  return `${JSON.stringify(m.header)} → ${field}, learned from ${from}`;
}

/** `intake mappings …`: what the workspace learned from its people's imports, and forgetting it. */
export function registerMappingsCommands(program: Command): void {
  const mappings = program
    .command('mappings')
    .description('the column mappings the workspace learned, and forgetting one');

  mappings
    .command('list <type>')
    .description('the headers learned for clients, leads or companies, the most recent first')
    .option('--json', 'print JSON')
    .action((type: string, o: { json?: boolean }) =>
      withLearned(program, async (learned, ws) => {
        const list = await learned.list(ws, recordType(type));
        if (o.json) say(JSON.stringify({ type, mappings: list }));
        else if (!list.length) say(`The workspace "${ws}" learned no ${type} mapping yet.`);
        else list.forEach((m) => say(describe(m)));
      }),
    );

  mappings
    .command('forget <type> <header>')
    .description('forget what was learned for a header: the next files get a fresh suggestion')
    .option('--json', 'print JSON')
    .action((type: string, header: string, o: { json?: boolean }) =>
      withLearned(program, async (learned, ws) => {
        const gone = await learned.forget(ws, recordType(type), header, { door: 'cli' });
        if (o.json) say(JSON.stringify({ forgotten: gone }));
        else say(`Forgotten in workspace "${ws}": ${describe(gone)}. The next files get a fresh suggestion.`);
      }),
    );
}
