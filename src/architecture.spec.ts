import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The rings of the tree, held against the code's own imports.
const SRC = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = sources(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

function importsOf(file: { path: string; text: string }): string[] {
  return [...file.text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

/** The ring of a path inside src: core, config, engine, protocols, doors/<door>, app, or the entry point. */
function ring(path: string): string {
  const [top, sub] = path.split('/');
  return top === 'doors' ? `doors/${sub}` : (top ?? '');
}

function localTargets(file: { path: string; text: string }): string[] {
  return importsOf(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(SRC, resolve(SRC, dirname(file.path), s)));
}

const ALLOWED: Record<string, (target: string) => boolean> = {
  core: (t) => t === 'core',
  config: (t) => t === 'config',
  engine: (t) => ['core', 'config', 'engine'].includes(t),
  protocols: (t) => ['core', 'config', 'protocols'].includes(t),
  'doors/slack': (t) => ['core', 'config', 'engine', 'protocols', 'doors/slack'].includes(t),
  'doors/email': (t) => ['core', 'config', 'engine', 'protocols', 'doors/email'].includes(t),
  'doors/http': (t) => ['core', 'config', 'engine', 'protocols', 'doors/http'].includes(t),
  'doors/cli': (t) => ['core', 'config', 'engine', 'protocols', 'doors/cli', 'app'].includes(t),
  app: (t) => t !== '..' && !t.startsWith('../'),
  'main.ts': (t) => t === 'app',
};

test('each ring imports only the rings inside it, and nothing of tools/', () => {
  const wrong: string[] = [];
  for (const file of files) {
    const from = ring(file.path);
    const allowed = ALLOWED[from];
    if (!allowed) {
      wrong.push(`${file.path}: not in a known ring`);
      continue;
    }
    for (const target of localTargets(file)) {
      if (!allowed(ring(target))) wrong.push(`${file.path} imports ${target}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('only the queue module knows Bull', () => {
  const bull = files.filter((f) => importsOf(f).some((s) => s === 'bull' || s.startsWith('@nestjs/bull')));
  expect(bull.map((f) => f.path).filter((p) => !p.startsWith('engine/queue/'))).toEqual([]);
  expect(bull.length).toBeGreaterThan(0);
});

test('only config reads the environment (and the entry point hands it over)', () => {
  const readers = files.filter((f) => /process\.env\b/.test(f.text)).map((f) => f.path);
  expect(readers.filter((p) => !p.startsWith('config/') && p !== 'main.ts')).toEqual([]);
});

/** `import-lifecycle.service.ts` → `ImportLifecycleService`: the class a role-suffixed file is named after. */
function classNamedBy(fileName: string): string {
  const [base = '', role = ''] = fileName.replace(/\.ts$/, '').split('.');
  const pascal = (s: string): string =>
    s
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  return pascal(base) + pascal(role);
}

test('a service, module or controller file exports the class its name says', () => {
  const named = files.filter((f) => /\.(service|module|controller)\.ts$/.test(f.path));
  const wrong = named.flatMap((f) => {
    const expected = classNamedBy(f.path.split('/').pop()!);
    const exported = [...f.text.matchAll(/^export (?:abstract )?class (\w+)/gm)].map((m) => m[1]);
    return exported.includes(expected)
      ? []
      : [`${f.path} exports ${exported.join(', ') || 'no class'}, not ${expected}`];
  });
  expect(wrong).toEqual([]);
  expect(named.length).toBeGreaterThan(10);
});

/** The engine's files that make an import move: a door reaches them only through a use case. */
const IMPORT_WRITERS = [
  'engine/imports/import-lifecycle',
  'engine/imports/imports.repository',
  'engine/imports/upload-gate',
  'engine/imports/upload-storing',
  'engine/imports/batch-writer',
  'engine/imports/import-runner',
];

test("a door changes an import only through the engine's use cases", () => {
  const wrong = files
    .filter((f) => f.path.startsWith('doors/'))
    .flatMap((f) => {
      // A type names the shape of a thing; it moves nothing.
      const values = { ...f, text: f.text.replace(/^\s*import type [^;]*;/gm, '') };
      return localTargets(values)
        .filter((t) => IMPORT_WRITERS.includes(t))
        .map((t) => `${f.path} imports ${t}`);
    });
  expect(wrong).toEqual([]);
});

test('the use cases stand above the rest of the engine: only the conversation and the module call them', () => {
  const wrong = files
    .filter((f) => ring(f.path) === 'engine' && !/^engine\/(use-cases|conversation)\//.test(f.path))
    .filter((f) => f.path !== 'engine/engine.module.ts')
    .flatMap((f) =>
      localTargets(f)
        .filter((t) => t.startsWith('engine/use-cases/'))
        .map((t) => `${f.path} imports ${t}`),
    );
  expect(wrong).toEqual([]);
  expect(files.some((f) => f.path.startsWith('engine/use-cases/'))).toBe(true);
});
