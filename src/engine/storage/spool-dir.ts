import { lstat, mkdir } from 'node:fs/promises';

/**
 * Makes sure the local directory uploads land in is Intake's own before a byte is written to it: a
 * real directory (no symbolic link), owned by this process's user, that nobody else may read or write.
 * Made when missing. A directory in a shared temporary folder that someone else made first, or left
 * open, would let them read the uploads or swap them; it is refused with what to do.
 */
export async function ownSpoolDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  const uid = process.getuid?.();
  const problem = !info.isDirectory()
    ? 'is not a directory'
    : uid !== undefined && info.uid !== uid
      ? `belongs to another user (uid ${info.uid})`
      : (info.mode & 0o077) !== 0
        ? `may be read or written by others (mode ${(info.mode & 0o777).toString(8)})`
        : null;
  if (problem) {
    throw new Error(
      `Uploads cannot be received: the spool directory ${dir} ${problem}. Set INTAKE_SPOOL_DIR to a directory of Intake's own (mode 700).`,
    );
  }
}
