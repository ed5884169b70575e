import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readMessage } from '../../src/protocols/mail/inbound-reader';
import { isActionable } from '../../src/doors/email/reply-command';
import { parseReply } from '../../src/doors/email/reply-command.parser';
import { visibleReply } from '../../src/protocols/mail/visible-reply';
import { QUOTE_SHAPES, REPLY_COMMANDS, REPLY_HEADERS, replyMessage } from '../../tools/fidelity/reply-quotes';

/**
 * Every command under every quote shape the common clients write, read the way the email door reads a
 * reply (MIME, the visible part, the parser): each must be acted on as its writer meant.
 */
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'reply-shapes-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cases = QUOTE_SHAPES.flatMap((shape) =>
  REPLY_COMMANDS.map((c) => [shape.name, c.command, shape, c] as const),
);

test.each(cases)('%s: "%s"', async (_name, _command, shape, c) => {
  const msg = await readMessage(Readable.from([replyMessage(shape, c.command)]), work, {
    maxCsv: 10,
    safeName: (name: string) => name,
  });
  const visible = visibleReply(msg.text);
  // What the person wrote is read; nothing of the quoted proposal is.
  expect(visible.trim().split('\n')[0]).toBe(c.command);
  expect(visible).not.toContain('reply "yes"');
  const cmd = parseReply(visible, 'clients', REPLY_HEADERS);
  expect({
    actionable: isActionable(cmd),
    confirm: cmd.confirm,
    cancel: cmd.cancel,
    corrections: cmd.corrections,
    problems: cmd.problems,
  }).toEqual({ actionable: true, ...c.expected, problems: [] });
});
