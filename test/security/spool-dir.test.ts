import { chmod, chown, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownSpoolDir } from '../../src/engine/storage/spool-dir';

// Uploads land in a local spool directory before they are stored; in a shared temporary folder,
// another user could make that directory first (or leave it open) to read or swap the uploads.
describe('the spool directory is Intake’s own', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'intake-spool-owner-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is made when missing, readable by Intake alone', async () => {
    const dir = join(root, 'fresh');
    await ownSpoolDir(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('is refused when others may read or write it', async () => {
    const dir = join(root, 'open');
    await mkdir(dir);
    await chmod(dir, 0o777);
    await expect(ownSpoolDir(dir)).rejects.toThrow(
      /may be read or written by others \(mode 777\).*INTAKE_SPOOL_DIR/,
    );
  });

  it('is refused when it is a link to somewhere else', async () => {
    const target = join(root, 'elsewhere');
    await mkdir(target, { mode: 0o700 });
    await symlink(target, join(root, 'link'));
    await expect(ownSpoolDir(join(root, 'link'))).rejects.toThrow(/is not a directory/);
  });

  it('is refused when another user made it', async () => {
    const uid = process.getuid?.();
    if (uid !== 0) return void expect(uid).toBeDefined(); // only root can give a directory away
    const dir = join(root, 'theirs');
    await mkdir(dir, { mode: 0o700 });
    await chown(dir, 1, 1);
    await expect(ownSpoolDir(dir)).rejects.toThrow(/belongs to another user \(uid 1\)/);
  });
});
