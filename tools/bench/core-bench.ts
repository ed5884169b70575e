import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyTable } from '../../src/core/dedupe/key-table';
import { readRows } from '../../src/core/parse/row-source';
import { validateRow } from '../../src/core/validate/row-validator';
import { timeCsvParse } from './baseline-measures';
import { writeClientsCsv } from './client-csv-generator';
import { clientFileMapping } from './client-file-layout';

/**
 * `npm run bench:core -- [--rows N] [--repeat K]`: the import's pure core, with no database and no
 * queue, against csv-parse alone on the same file in the same run. (b) csv-parse alone; (r) Intake's
 * reading (decode, parse, row numbers, limits); (v) reading, validation and the in-file duplicate table,
 * which is what a dry run does before it asks the database. Each is run `repeat` times; the best run
 * counts (the least disturbed by the rest of the machine).
 */

const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

function parseArgs(argv: readonly string[]): { rows: number; repeat: number } {
  const o = { rows: 200_000, repeat: 3 };
  for (let i = 0; i < argv.length; i++) {
    const n = Number(argv[i + 1]);
    if (argv[i] === '--rows' && Number.isInteger(n) && n > 0) o.rows = n;
    else if (argv[i] === '--repeat' && Number.isInteger(n) && n > 0) o.repeat = n;
    else throw new Error('usage: npm run bench:core -- [--rows N] [--repeat K]');
    i++;
  }
  return o;
}

async function timeReading(path: string, validate: boolean): Promise<{ seconds: number; valid: number }> {
  const { layout, mapping } = await clientFileMapping(path);
  const table = new KeyTable();
  let valid = 0;
  const t = process.hrtime.bigint();
  for await (const item of readRows(createReadStream(path), layout)) {
    if (item.kind !== 'row' || !validate) continue;
    const v = validateRow(item.cells, mapping, 'US');
    if (v.ok && table.firstRowOf(v.key, item.row) === undefined) valid++;
  }
  return { seconds: since(t), valid };
}

async function best<T extends { seconds: number }>(repeat: number, run: () => Promise<T>): Promise<T> {
  let top: T | undefined;
  for (let i = 0; i < repeat; i++) {
    const r = await run();
    if (!top || r.seconds < top.seconds) top = r;
  }
  return top!;
}

async function main(): Promise<void> {
  const { rows, repeat } = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), 'intake-core-bench-'));
  try {
    const file = await writeClientsCsv(join(dir, 'clients.csv'), rows);
    const b = await best(repeat, () => timeCsvParse(file.path));
    const r = await best(repeat, () => timeReading(file.path, false));
    const v = await best(repeat, () => timeReading(file.path, true));
    const rate = (s: number) => Math.round(rows / s);
    console.log(
      `${rows.toLocaleString('en-US')} rows, ${(file.bytes / 1e6).toFixed(1)} MB, best of ${repeat}`,
    );
    console.log(`(b) csv-parse alone            ${rate(b.seconds)} rows/s`);
    console.log(
      `(r) Intake reading             ${rate(r.seconds)} rows/s  (r)/(b) ${(b.seconds / r.seconds).toFixed(2)}`,
    );
    console.log(
      `(v) reading+validation+dedupe  ${rate(v.seconds)} rows/s  (v)/(b) ${(b.seconds / v.seconds).toFixed(2)}`,
    );
    console.log(`valid first rows: ${v.valid} (expected ${file.expected.new})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
