/**
 * A static ReDoS check of every regular expression literal in src/ (tests aside), with recheck's pure
 * JavaScript analyser: no native binary, no Java, nothing fetched. It prints each pattern's verdict and
 * fails when one is found vulnerable, unless BOUNDED names it with the bound that keeps its input small or V8
 * runs recheck's own attack on it in linear time (recheck's fuzzer misreads some look-behinds).
 * recheck gives up ("unknown") on some patterns, look-behinds mostly; src/regex-safety.spec.ts runs the
 * patterns on outside text against megabyte attacks, which is the check that counts.
 *
 *   npm run audit:regex
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from '../repo-root';

/** Patterns recheck calls vulnerable whose input is cut short first: file, pattern source, the bound. */
const BOUNDED: readonly { file: string; source: string; bound: string }[] = [
  {
    file: 'src/core/parse/cell-text.ts',
    source: '"[^"]*"|\\\\.|\\[[^\\]]*\\]|_.|\\*.',
    bound: 'the number format is cut to MAX_FORMAT_CODE (255) characters first',
  },
];

interface Found {
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The regular expression literals of one file, and the places that build one at run time. */
function patternsIn(path: string, root: string): { literals: Found[]; built: string[] } {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const literals: Found[] = [];
  const built: string[] = [];
  const where = (node: ts.Node) =>
    `${relative(root, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.getText();
      const end = text.lastIndexOf('/');
      literals.push({ where: where(node), source: text.slice(1, end), flags: text.slice(end + 1) });
    } else if (ts.isNewExpression(node) && node.expression.getText() === 'RegExp') {
      built.push(where(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { literals, built };
}

type Attack = { pumps: readonly { prefix: string; pump: string }[]; suffix: string };

/** recheck's attack with its pumped parts grown until the text is about `size` characters. */
function attackOf(attack: Attack, size: number): string {
  const pumped = attack.pumps.reduce((n, p) => n + p.pump.length, 0);
  const times = Math.max(1, Math.ceil(size / Math.max(1, pumped)));
  return attack.pumps.map((p) => p.prefix + p.pump.repeat(times)).join('') + attack.suffix;
}

function cpuMs(run: () => unknown): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/**
 * Whether V8 really takes super-linear time on recheck's attack: its fuzzer reports some patterns with
 * look-behinds that V8 runs linearly. Sixteen times the text taking over fifty times as long confirms it.
 */
function confirmed(found: Found, attack: Attack): boolean {
  const pattern = new RegExp(found.source, found.flags);
  const run = (text: string) => () => text.replace(pattern, '');
  const small = cpuMs(run(attackOf(attack, 64 * 1024)));
  if (small > 2000) return true;
  return cpuMs(run(attackOf(attack, 1024 * 1024))) > 50 * small + 1000;
}

function boundOf(found: Found): string | undefined {
  return BOUNDED.find((b) => found.where.startsWith(`${b.file}:`) && b.source === found.source)?.bound;
}

async function main(): Promise<void> {
  // The pure analyser runs in this process; the default would look for a native binary or Java first.
  process.env.RECHECK_BACKEND ??= 'pure';
  const { check } = await import('recheck');
  const root = repoRoot();
  const files = sourceFiles(join(root, 'src'));
  const all = files.map((f) => patternsIn(f, root));
  const failed: string[] = [];
  for (const found of all.flatMap((p) => p.literals)) {
    const verdict = await check(found.source, found.flags, { timeout: 10_000 });
    let status: string = verdict.status;
    let detail = verdict.status === 'unknown' ? verdict.error.kind : verdict.complexity.type;
    if (verdict.status === 'vulnerable') {
      const bound = boundOf(found);
      if (bound) detail += `, bounded: ${bound}`;
      else if (!confirmed(found, verdict.attack)) {
        status = 'flagged';
        detail += ' by recheck, yet linear in V8 on its attack';
      } else failed.push(found.where);
    }
    console.log(`${status.padEnd(10)} ${found.where}  /${found.source}/${found.flags}  (${detail})`);
  }
  for (const where of all.flatMap((p) => p.built)) {
    console.log(`built     ${where}  (made at run time: guard it in src/regex-safety.spec.ts)`);
  }
  if (failed.length > 0) {
    console.error(`\nVulnerable patterns: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

void main();
