import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// What a worker-only process loads before it decides anything: the static imports of the entry point,
// followed through Intake's own files. The doors' modules, and the protocols only they speak, must stay
// behind start-up's dynamic import.
const SRC = resolve(__dirname, '..');

/** Packages only the doors use: Slack, inbound and outbound mail, the HTTP server and its OpenAPI. */
const DOOR_PACKAGES = [
  '@slack/bolt',
  '@slack/web-api',
  'smtp-server',
  'mailparser',
  'mailauth',
  'nodemailer',
  '@nestjs/swagger',
  '@nestjs/platform-express',
  'express',
  '@bull-board/api',
  '@bull-board/express',
];

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // `import type` is erased at build; a dynamic import() has no `from` and is not matched.
  return [...text.matchAll(/^\s*(?:import|export)(?!\s+type\s)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

function reached(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        continue;
      }
      const base = resolve(dirname(file), spec);
      const next = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
      if (next) queue.push(next);
    }
  }
  return { files, packages };
}

test('the entry point reaches no door or protocol, and no package only the doors use, without a dynamic import', () => {
  const { files, packages } = reached(join(SRC, 'main.ts'));
  const paths = [...files].map((f) => relative(SRC, f));
  expect(paths).toContain('app/worker.module.ts');
  expect(
    paths.filter((p) => p.startsWith('doors/') || p.startsWith('protocols/') || p === 'app/app.module.ts'),
  ).toEqual([]);
  expect(DOOR_PACKAGES.filter((p) => packages.has(p))).toEqual([]);
});
