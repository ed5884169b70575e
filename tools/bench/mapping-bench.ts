import { join } from 'node:path';
import { guessType, suggestMapping } from '../../src/core/mapping/mapping-suggester';
import { repoRoot } from '../repo-root';
import { CorpusFile, loadCorpus } from '../../test/fixtures/headers/header-corpus';

/**
 * `npm run bench:mapping`: how right the suggestions are on the header corpus (test/fixtures/headers),
 * each file suggested for its expected type and its type guessed from its headers and head rows.
 * Prints a Markdown table, the misses, and last one line of name=value pairs.
 */
interface Tally {
  columns: number;
  right: number;
  mustMap: number;
  mustMapRight: number;
  /** A column that must stay unmapped was given a field. */
  falseMappings: number;
  /** A column that must be mapped was given another field. */
  wrongField: number;
  files: number;
  typesRight: number;
}

function measure(corpus: readonly CorpusFile[], misses: string[]): Tally {
  const t: Tally = {
    columns: 0,
    right: 0,
    mustMap: 0,
    mustMapRight: 0,
    falseMappings: 0,
    wrongField: 0,
    files: 0,
    typesRight: 0,
  };
  for (const c of corpus) {
    t.files++;
    const guessed = guessType(c.headers, c.samples);
    if (guessed === c.type) t.typesRight++;
    else misses.push(`${c.file}: type ${guessed}, expected ${c.type}`);
    for (const s of suggestMapping(c.type, c.headers, c.samples)) {
      const want = c.fields[s.header] ?? null;
      t.columns++;
      if (want !== null) t.mustMap++;
      if (s.field === want) {
        t.right++;
        if (want !== null) t.mustMapRight++;
        continue;
      }
      if (want === null) t.falseMappings++;
      else if (s.field !== null) t.wrongField++;
      misses.push(`${c.file}: "${s.header}" → ${s.field ?? 'nothing'}, expected ${want ?? 'nothing'}`);
    }
  }
  return t;
}

function percent(n: number, of: number): string {
  return of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`;
}

function main(): void {
  const corpus = loadCorpus(join(repoRoot(), 'test', 'fixtures', 'headers'));
  const misses: string[] = [];
  const started = performance.now();
  const t = measure(corpus, misses);
  const ms = performance.now() - started;
  const rows = [
    ['Files', `${t.files}`],
    ['Columns', `${t.columns}`],
    ['All columns right', `${percent(t.right, t.columns)} (${t.right}/${t.columns})`],
    ['Must-map columns right', `${percent(t.mustMapRight, t.mustMap)} (${t.mustMapRight}/${t.mustMap})`],
    ['False mappings (must stay unmapped)', `${t.falseMappings}`],
    ['Wrong field (must map elsewhere)', `${t.wrongField}`],
    ['Type guessed right', `${t.typesRight}/${t.files}`],
  ];
  process.stdout.write(
    `| Measure | Value |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n\n`,
  );
  if (misses.length) process.stdout.write(`Misses:\n${misses.map((m) => `- ${m}`).join('\n')}\n\n`);
  process.stdout.write(
    `files=${t.files} columns=${t.columns} right=${t.right} mustMap=${t.mustMap} mustMapRight=${t.mustMapRight} ` +
      `falseMappings=${t.falseMappings} wrongField=${t.wrongField} typesRight=${t.typesRight} ms=${Math.round(ms)}\n`,
  );
}

main();
