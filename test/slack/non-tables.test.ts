import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { SlackFilesRepository } from '../../src/doors/slack/slack-files.repository';
import { WorkspacesService } from '../../src/engine/workspaces/workspaces.service';
import { TEAM, World, mapping, share, startWorld } from './slack-world';

let w: World;

beforeAll(async () => {
  w = await startWorld('slack_non_tables');
});
afterAll(() => w.close());

const NOTES =
  'Weekly sync with the sales team\n' +
  'Attendees: Ana, Bo, Cy\n' +
  '- We agreed the budget for Q1\n' +
  '- Hiring: two people, maybe three, by March\n' +
  '- Next meeting on Thursday\n' +
  '- Bo sends the slides\n';

async function importsOf(fileName: string) {
  return (await w.h.imports.list(w.h.workspaceId, 100)).filter((i) => i.fileName === fileName);
}

/** Files kept in the upload store under this name (a refused file leaves none). */
async function storedFiles(fileName: string): Promise<number> {
  const db = w.h.app.context.get<Connection>(getConnectionToken()).db!;
  return db.collection('uploads.files').countDocuments({ filename: fileName });
}

/** Polls until the file's claim says it was refused (the outcome, answered or not). */
async function refusedClaim(fileId: string): Promise<void> {
  const files = w.h.app.context.get(SlackFilesRepository);
  const until = Date.now() + 15_000;
  while ((await files.get(TEAM, fileId))?.state !== 'refused') {
    if (Date.now() > until) throw new Error(`file ${fileId} was not refused`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('meeting notes shared as .txt get one short answer, no mapping and nothing stored', async () => {
  const s = await share(w, NOTES, { name: 'notes.txt', file: { mimetype: 'text/plain', filetype: 'text' } });
  const note = await w.slack.waitFor('the answer', () =>
    w.slack.posted().find((p) => p.channel === s.channel && /does not look like a table/.test(p.text)),
  );
  expect(note.thread).toBe(s.threadTs);
  expect(note.text).toContain('notes.txt does not look like a table:');
  expect(note.text).toContain('first line names the columns');
  await refusedClaim(s.fileId);
  expect(w.slack.posted().filter((p) => p.channel === s.channel)).toHaveLength(1);
  expect(await importsOf('notes.txt')).toEqual([]);
  expect(await storedFiles('notes.txt')).toBe(0);
});

test('a one-column .csv is held to the same rule, and a real table still gets its mapping', async () => {
  const s = await share(w, 'Email\nana@example.com\nbo@example.com\n', { name: 'emails.csv' });
  await w.slack.waitFor('the answer', () =>
    w.slack
      .posted()
      .find((p) => p.channel === s.channel && /emails\.csv does not look like a table/.test(p.text)),
  );
  expect(await importsOf('emails.csv')).toEqual([]);
  const table = await share(w, 'Name,Email\nAna,ana@example.com\nBo,bo@example.com\n', { name: 'ok.csv' });
  expect((await mapping(w, table)).importId).toMatch(/^imp_/);
});

test('a workspace that asks for silence is not answered, and still stores nothing', async () => {
  const settings = w.h.app.context.get(WorkspacesService);
  await settings.setSlackAnswerNonTables(w.h.workspaceId, false);
  try {
    const s = await share(w, NOTES, {
      name: 'quiet.txt',
      file: { mimetype: 'text/plain', filetype: 'text' },
    });
    await refusedClaim(s.fileId);
    expect(w.slack.downloads).toContain(s.fileId);
    expect(w.slack.posted().filter((p) => p.channel === s.channel)).toEqual([]);
    expect(await importsOf('quiet.txt')).toEqual([]);
    expect(await storedFiles('quiet.txt')).toBe(0);
  } finally {
    await settings.setSlackAnswerNonTables(w.h.workspaceId, true);
  }
});
