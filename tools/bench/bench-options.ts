export interface BenchOptions {
  /** File sizes of the main table (rows). */
  sizes: number[];
  /** Rows of the naive one-create-per-row import (0: skip). */
  naiveRows: number;
  /** Size of the file the mapping suggestion is timed on (0: skip). */
  suggestMb: number;
  /** Rows of each of the two files of the 1-vs-2-worker comparison (0: skip). */
  scaleRows: number;
  /** NODE_OPTIONS of the worker processes; by default those of the worker in docker-compose.yml. */
  nodeOptions: string;
  /** Also import each size as an Excel workbook (.xlsx with shared strings) and report it beside the CSV. */
  workbooks: boolean;
  /** Rows of the update-mode comparison (0: skip). */
  updateRows: number;
  /** Per size only csv-parse, the dry run and the import (no raw insertMany, CLI or workbook): long runs. */
  intakeOnly: boolean;
  /** Another build's dist/src/main.js whose worker is timed too (before/after a change, same run). */
  baselineWorker?: string;
}

/** The worker's heap cap in docker-compose.yml: the bench measures workers as they are deployed. */
export const WORKER_NODE_OPTIONS = '--max-old-space-size=160';

const HELP = `npm run bench -- [options]
  --rows 100000,1000000   file sizes of the main table (default)
  --quick                 20k rows, naive on 5k, suggestion on 10 MB, scale on 20k, updates on 2k
  --naive-rows N          rows of the naive Model.create import (default 100000; 0 skips)
  --suggest-mb N          size of the file for the mapping suggestion (default 100; 0 skips)
  --scale-rows N          rows of each file of the 1-vs-2-worker comparison (default 100000; 0 skips)
  --only-scale            the worker comparison alone (npm run bench:scale)
  --worker-node-options S NODE_OPTIONS for the worker processes (default: compose's worker,
                          ${WORKER_NODE_OPTIONS}; "" for none)
  --baseline-worker PATH  also time (c) and (e) with another build's dist/src/main.js (before/after)
  --intake-only           per size only (b), (c) and (e), their memory and exact counts: for ten
                          million rows (npm run bench -- --rows 10000000 --intake-only …)
  --no-workbooks          skip the same rows as an Excel workbook (.xlsx), (w1) and (w2)
  --update-rows N         rows of the update-mode imports against raw upserts (default 5000; 0 skips)
  --only-updates          the update-mode comparison alone (npm run bench:update)`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = {
    sizes: [100_000, 1_000_000],
    naiveRows: 100_000,
    suggestMb: 100,
    scaleRows: 100_000,
    nodeOptions: WORKER_NODE_OPTIONS,
    workbooks: true,
    updateRows: 5000,
    intakeOnly: false,
  };
  const num = (i: number) => {
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${argv[i]} needs a whole number\n${HELP}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick')
      Object.assign(o, {
        sizes: [20_000],
        naiveRows: 5000,
        suggestMb: 10,
        scaleRows: 20_000,
        updateRows: 2000,
      });
    else if (a === '--rows')
      o.sizes = (argv[++i] ?? '')
        .split(',')
        .map(Number)
        .filter((n) => n > 0);
    else if (a === '--naive-rows') o.naiveRows = num(i++);
    else if (a === '--suggest-mb') o.suggestMb = num(i++);
    else if (a === '--scale-rows') o.scaleRows = num(i++);
    else if (a === '--only-scale') Object.assign(o, { sizes: [], naiveRows: 0, suggestMb: 0, updateRows: 0 });
    else if (a === '--worker-node-options') o.nodeOptions = argv[++i] ?? '';
    else if (a === '--baseline-worker') o.baselineWorker = argv[++i];
    else if (a === '--no-workbooks') o.workbooks = false;
    else if (a === '--intake-only') Object.assign(o, { intakeOnly: true, workbooks: false });
    else if (a === '--update-rows') o.updateRows = num(i++);
    else if (a === '--only-updates')
      Object.assign(o, { sizes: [], naiveRows: 0, suggestMb: 0, scaleRows: 0 });
    else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  return o;
}
