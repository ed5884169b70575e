import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMessage } from '../../src/protocols/mail/inbound-reader';
import { isActionable, ReplyCommand } from '../../src/doors/email/reply-command';
import { parseReply } from '../../src/doors/email/reply-command.parser';
import type { Correction } from '../../src/doors/email/reply-corrections';
import { visibleReply } from '../../src/protocols/mail/visible-reply';

/**
 * Replies shaped as the common mail clients write them (quoted originals, signatures, HTML-only mail,
 * mobile footers), read the way the email door reads them: MIME, the visible part, then the parser.
 * The pass rate is printed; docs/testing.md quotes it.
 */
interface Expected {
  client: string;
  confirm?: boolean;
  cancel?: boolean;
  dryRun?: boolean;
  onDuplicate?: 'skip' | 'update';
  corrections?: Correction[];
  /** False for a reply that must start nothing (it cannot be understood). */
  actionable?: boolean;
  /** A reply Intake does not read as its writer meant (why): it must then start nothing. */
  knownMiss?: string;
}

const DIR = join(__dirname, '../fixtures/email/replies');
const HEADERS = ['First Name', 'Last Name', 'Email', 'Mobile number', 'Notes'];
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.eml'));
const passed: string[] = [];
const misses: string[] = [];
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'reply-corpus-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  console.log(
    `reply corpus: ${passed.length}/${files.length} replies read as their writers meant; ` +
      `${misses.length} known misses, each starting nothing`,
  );
});

async function read(file: string): Promise<ReplyCommand> {
  const msg = await readMessage(createReadStream(join(DIR, file)), work, {
    maxCsv: 10,
    safeName: (name: string) => name,
  });
  return parseReply(visibleReply(msg.text), 'clients', HEADERS);
}

test('every fixture has an expectation, and every expectation a fixture', () => {
  expect(files.sort()).toEqual(Object.keys(expected).sort());
  expect(files.length).toBeGreaterThanOrEqual(20);
});

test.each(files)('%s', async (file) => {
  const want = expected[file]!;
  const cmd = await read(file);
  if (want.knownMiss) {
    // Not understood as meant, but safe: nothing starts, and the answer says what was read.
    expect(isActionable(cmd)).toBe(false);
    misses.push(file);
    return;
  }
  if (want.actionable === false) {
    // A reply that cannot be understood must start nothing; what parts of it were read does not matter.
    expect(isActionable(cmd)).toBe(false);
  } else {
    expect({
      actionable: isActionable(cmd),
      confirm: cmd.confirm,
      cancel: cmd.cancel,
      dryRun: cmd.dryRun,
      onDuplicate: cmd.onDuplicate,
      corrections: cmd.corrections,
    }).toEqual({
      actionable: true,
      confirm: want.confirm ?? false,
      cancel: want.cancel ?? false,
      dryRun: want.dryRun ?? false,
      onDuplicate: want.onDuplicate,
      corrections: want.corrections ?? [],
    });
  }
  passed.push(file);
});
