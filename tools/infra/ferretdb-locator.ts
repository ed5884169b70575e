import { chmod, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executableAt, findOnPath, goBinDirs, run } from './executable-locator';

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/** A `ferretdb` on PATH, else one `go install` (or an earlier build) left in GOBIN / GOPATH/bin. */
export async function locateFerretDb(): Promise<string | undefined> {
  const onPath = await findOnPath('ferretdb');
  if (onPath) return onPath;
  for (const dir of (await goBinDirs()).dirs) {
    const found = await executableAt(join(dir, 'ferretdb'));
    if (found) return found;
  }
  return undefined;
}

/**
 * Builds FerretDB with Go and caches the binary where `go install` would put it.
 *
 * Why not `go install …/cmd/ferretdb@v1.24.2`: the module proxy here answers 403 to the `@v/list`
 * lookup it makes. And a plain build from the module cache panics at start, because the module zip
 * lacks the generated build/version/version.txt. So: a throwaway module that requires FerretDB,
 * vendored, with version.txt written in. Keep in sync with build_ferretdb in .ci/run.
 */
export async function buildFerretDb(log: (msg: string) => void): Promise<string> {
  const { goPath, dirs } = await goBinDirs();
  const binDir = dirs[0];
  if (!goPath || !binDir) throw new Error('cannot build FerretDB: `go` is not on PATH');
  const work = await mkdtemp(join(tmpdir(), 'intake-ferretdb-build-'));
  const started = Date.now();
  log(
    `building FerretDB ${FERRETDB_VERSION} with Go in ${work} (2-4 minutes from a cold Go cache, once per machine)`,
  );
  try {
    await writeFile(
      join(work, 'go.mod'),
      `module ferretbuild\n\ngo 1.22\n\nrequire ${FERRETDB_MODULE} ${FERRETDB_VERSION}\n`,
    );
    await writeFile(
      join(work, 'tools.go'),
      `//go:build tools\n\npackage tools\n\nimport _ "${FERRETDB_MODULE}/cmd/ferretdb"\n`,
    );
    const env = { ...process.env, GOFLAGS: '-mod=mod' };
    const long = 15 * 60_000;
    await run(goPath, ['mod', 'tidy'], { cwd: work, env, timeoutMs: long });
    await run(goPath, ['mod', 'vendor'], { cwd: work, env, timeoutMs: long });
    await writeFile(
      join(work, 'vendor', FERRETDB_MODULE, 'build', 'version', 'version.txt'),
      `${FERRETDB_VERSION}\n`,
    );
    const built = join(work, 'ferretdb');
    await run(goPath, ['build', '-mod=vendor', '-trimpath', '-o', built, `${FERRETDB_MODULE}/cmd/ferretdb`], {
      cwd: work,
      env: { ...process.env, GOFLAGS: '' },
      timeoutMs: long,
    });
    // Copy then rename, so a concurrent run never sees a half-written binary.
    await mkdir(binDir, { recursive: true });
    const target = join(binDir, 'ferretdb');
    const partial = `${target}.partial-${process.pid}`;
    await copyFile(built, partial);
    await chmod(partial, 0o755);
    await rename(partial, target);
    log(`built FerretDB in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The FerretDB binary to use, building it when Go is present; undefined when neither works. */
export async function findOrBuildFerretDb(log: (msg: string) => void): Promise<string | undefined> {
  const found = await locateFerretDb();
  if (found) return found;
  if (!(await findOnPath('go'))) return undefined;
  return buildFerretDb(log);
}
