import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout's root (the folder holding package.json), from a tool's source or its build output. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
