import { fieldDef } from '../../core/field-catalog';
import { MappingTarget, targetLabel } from '../../core/custom-field';
import type { ImportView } from '../../engine/imports/import-view';
import { esc } from './mail-body';
import { learnedLines } from './mail-learned';

const label = (f: MappingTarget | null) => (f ? targetLabel(f) : '(not imported)');
const pct = (c: number, f: MappingTarget | null) => (f ? `${Math.round(c * 100)}%` : '');
const clip = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function tableRows(v: ImportView): string[][] {
  return v.columns.map((c) => [
    clip(c.header || `(column ${c.index + 1})`, 30),
    label(c.field),
    pct(c.confidence, c.field),
    c.samples
      .filter((s) => s.trim())
      .map((s) => clip(s.trim()))
      .join(', '),
  ]);
}

function problemsOf(v: ImportView): string[] {
  const out: string[] = [];
  if (v.missingRequired.length)
    out.push(`Missing required: ${v.missingRequired.map((k) => fieldDef(k).label).join(', ')}.`);
  for (const c of v.conflicts) {
    const heads = c.columns.map((i) => `"${v.columns[i]?.header}"`).join(' and ');
    out.push(`${heads} are both mapped to ${targetLabel(c.field)}: choose one.`);
  }
  return out;
}

/** What the values said against a suggested field: worth a look, but no reason not to start. */
function warningsOf(v: ImportView): string[] {
  return v.columns.flatMap((c) => (c.warning && c.field ? [c.warning] : []));
}

/** For a workbook: the sheet read, and how to read another one. */
function sheetNote(v: ImportView): string | null {
  if (!v.sheet) return null;
  const others = (v.sheets ?? []).filter((s) => s !== v.sheet);
  if (!others.length) return `Sheet "${v.sheet}".`;
  const list = others.map((s) => `"${s}"`).join(', ');
  return `Sheet "${v.sheet}"; its other sheets: ${list}. To read another, reply "Sheet = ${others[0]}".`;
}

/** One file's mapping in plain text: its format, a table of columns, what is missing, what was learned. */
export function mappingText(v: ImportView): string {
  const format = v.sheet
    ? 'Excel workbook'
    : `${v.encoding}, delimiter "${v.delimiter === '\t' ? 'tab' : v.delimiter}"`;
  const note = sheetNote(v);
  const head = `${v.fileName} (${v.type}, ${format})${note ? `\n${note}` : ''}`;
  const table = pad([['Column', 'Field', 'Confidence', 'Sample values'], ...tableRows(v)]);
  const problems = problemsOf(v);
  return [
    head,
    '',
    table,
    '',
    problems.length ? problems.join('\n') : 'Every required field is mapped.',
    ...warningsOf(v),
    ...learnedLines(v),
  ].join('\n');
}

/** The same mapping as mappingText, as an HTML table. */
export function mappingHtml(v: ImportView): string {
  const rows = tableRows(v)
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  const problems = problemsOf(v);
  return (
    `<h3>${esc(v.fileName)} <small>(${esc(v.type)})</small></h3>` +
    (sheetNote(v) ? `<p>${esc(sheetNote(v)!)}</p>` : '') +
    `<table border="1" cellpadding="4" cellspacing="0"><thead><tr><th>Column</th><th>Field</th><th>Confidence</th><th>Sample values</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p>${problems.length ? problems.map(esc).join('<br>') : 'Every required field is mapped.'}</p>` +
    [...warningsOf(v), ...learnedLines(v)].map((w) => `<p>${esc(w)}</p>`).join('')
  );
}
