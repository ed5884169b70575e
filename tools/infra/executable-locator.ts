import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The path of an executable file, or undefined when it is absent or not executable. */
export async function executableAt(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

/** Like `command -v name`, without a shell. */
export async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const found = await executableAt(join(dir, name));
    if (found) return found;
  }
  return undefined;
}

/** Runs a command and resolves with its stdout; rejects with its stderr in the message. */
export async function run(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err)
          reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stderr.slice(-4000)}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * Where `go install` puts binaries: GOBIN, else the first GOPATH entry's bin. Without Go we still
 * look in the default ~/go/bin, where an earlier run may have left a binary.
 */
export async function goBinDirs(): Promise<{ goPath: string | undefined; dirs: string[] }> {
  const goPath = await findOnPath('go');
  const dirs: string[] = [];
  if (goPath) {
    const [gobin = '', gopath = ''] = (await run(goPath, ['env', 'GOBIN', 'GOPATH']))
      .split('\n')
      .map((s) => s.trim());
    if (gobin) dirs.push(gobin);
    const first = gopath.split(delimiter)[0];
    if (first) dirs.push(join(first, 'bin'));
  }
  const fallback = join(homedir(), 'go', 'bin');
  if (!dirs.includes(fallback)) dirs.push(fallback);
  return { goPath, dirs };
}
