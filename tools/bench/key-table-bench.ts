import { readFileSync } from 'node:fs';
import { KeyTable } from '../../src/core/dedupe/key-table';

/**
 * `npm run bench:key-table -- [--keys N]` (default ten million): fills the in-file duplicate table with
 * N keys, one in ten repeating an earlier one, as a file of N rows would, and prints the time and this
 * process's peak RSS (VmHWM), which the table's typed arrays dominate.
 */
function keysOption(argv: readonly string[]): number {
  if (argv.length === 0) return 10_000_000;
  const n = Number(argv[1]);
  if (argv[0] !== '--keys' || !Number.isInteger(n) || n < 1)
    throw new Error('usage: npm run bench:key-table -- [--keys N]');
  return n;
}

function peakRssMb(): number {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

const n = keysOption(process.argv.slice(2));
const distinct = Math.floor(n * 0.9);
const table = new KeyTable();
const started = process.hrtime.bigint();
let repeats = 0;
for (let i = 0; i < n; i++) {
  if (table.firstRowOf(`ana${i % distinct}@example.com`, i + 2) !== undefined) repeats++;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  `${n.toLocaleString('en-US')} keys (${distinct.toLocaleString('en-US')} distinct, ${repeats.toLocaleString('en-US')} repeats): ` +
    `${seconds.toFixed(1)} s, peak RSS ${peakRssMb()} MB`,
);
