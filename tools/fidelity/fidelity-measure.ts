import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { QUOTE_SHAPES, REPLY_COMMANDS, REPLY_HEADERS, replyMessage } from './reply-quotes';
import { agreeingCells, readGrid, WORKBOOK_CASES } from './workbook-cases';

/**
 * How faithfully a build of Intake reads the reply and workbook corpora: commands acted on as meant
 * under each quote shape, and workbook cells read as Excel shows them. Give it the roots of built
 * checkouts (each with `dist/`), the baseline first, so both are measured in the same run:
 *
 *   node dist/tools/fidelity/fidelity-measure.js /path/to/main .
 */
interface Build {
  readMessage: typeof import('../../src/protocols/mail/inbound-reader').readMessage;
  visibleReply: typeof import('../../src/protocols/mail/visible-reply').visibleReply;
  parseReply: typeof import('../../src/doors/email/reply-command.parser').parseReply;
  isActionable: typeof import('../../src/doors/email/reply-command').isActionable;
  sniffWorkbook: typeof import('../../src/core/parse/workbook-source').sniffWorkbook;
  readWorkbookRows: typeof import('../../src/core/parse/workbook-source').readWorkbookRows;
  bufferSource: typeof import('../../src/core/parse/zip-reader').bufferSource;
}

function build(root: string): Build {
  const load = createRequire(__filename);
  // A module's path as this build has it, then as older builds had it (before src/protocols/).
  const from = (...paths: string[]) => {
    const found = paths.map((p) => join(resolve(root), 'dist/src', p)).find((p) => existsSync(`${p}.js`));
    return load(found ?? join(resolve(root), 'dist/src', paths[0]!)) as Record<string, unknown>;
  };
  // Builds from before the reply parser was split hold isActionable in the parser itself.
  const ifBuilt = (path: string) =>
    existsSync(join(resolve(root), 'dist/src', `${path}.js`)) ? from(path) : {};
  return {
    ...from('protocols/mail/inbound-reader', 'doors/email/inbound-reader'),
    ...from('protocols/mail/visible-reply', 'doors/email/visible-reply'),
    ...from('doors/email/reply-command.parser'),
    ...ifBuilt('doors/email/reply-command'),
    ...from('core/parse/workbook-source'),
    ...from('core/parse/zip-reader'),
  } as unknown as Build;
}

async function replies(b: Build, work: string): Promise<{ meant: number; total: number; shapes: string[] }> {
  let meant = 0;
  let total = 0;
  const missed = new Set<string>();
  for (const shape of QUOTE_SHAPES) {
    for (const c of REPLY_COMMANDS) {
      total++;
      const msg = await b.readMessage(Readable.from([replyMessage(shape, c.command)]), work, {
        maxCsv: 10,
        safeName: (name: string) => name,
      });
      const cmd = b.parseReply(b.visibleReply(msg.text), 'clients', REPLY_HEADERS);
      const ok =
        b.isActionable(cmd) &&
        cmd.confirm === c.expected.confirm &&
        cmd.cancel === c.expected.cancel &&
        JSON.stringify(cmd.corrections) === JSON.stringify(c.expected.corrections);
      if (ok) meant++;
      else missed.add(shape.name);
    }
  }
  return { meant, total, shapes: [...missed] };
}

async function cells(b: Build): Promise<{ same: number; total: number; cases: string[] }> {
  let same = 0;
  let total = 0;
  const wrong: string[] = [];
  for (const c of WORKBOOK_CASES) {
    const [s, t] = agreeingCells(c.expected, await readGrid(await c.bytes(), b));
    same += s;
    total += t;
    if (s < t) wrong.push(c.name);
  }
  return { same, total, cases: wrong };
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

async function main(): Promise<void> {
  const roots = process.argv.slice(2);
  if (!roots.length) throw new Error('usage: fidelity-measure <root of a built checkout>…');
  const work = mkdtempSync(join(tmpdir(), 'fidelity-'));
  try {
    for (const root of roots) {
      const b = build(root);
      const r = await replies(b, work);
      const w = await cells(b);
      console.log(`${root}`);
      console.log(
        `  replies: ${r.meant}/${r.total} commands acted on as meant (${pct(r.meant, r.total)}) over ${QUOTE_SHAPES.length} quote shapes`,
      );
      for (const s of r.shapes) console.log(`    missed under: ${s}`);
      console.log(`  workbooks: ${w.same}/${w.total} cells as Excel shows them (${pct(w.same, w.total)})`);
      for (const s of w.cases) console.log(`    wrong in: ${s}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
