import { Command } from 'commander';
import { WorkspacesService } from '../../engine/workspaces/workspaces.service';
import { openContext } from './cli-context';

async function withWorkspaces<T>(fn: (w: WorkspacesService, database: string) => Promise<T>): Promise<T> {
  const ctx = await openContext({ worker: false });
  try {
    return await fn(ctx.app.get(WorkspacesService), ctx.database);
  } finally {
    await ctx.close();
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** `intake workspace …`: workspaces, API keys, email senders and Slack teams are managed here, not in env. */
export function registerWorkspaceCommands(program: Command): void {
  const ws = program
    .command('workspace')
    .description('create workspaces, issue API keys, allow senders, link Slack');

  ws.command('create <id>')
    .option('--name <name>', 'display name')
    .option('--country <code>', 'default country for phone numbers (ISO code, e.g. DE)')
    .action((id: string, o: { name?: string; country?: string }) =>
      withWorkspaces(async (w, database) => {
        await w.create(id, o.name, o.country?.toUpperCase());
        say(
          `Workspace "${id}" created in ${database}. Issue an API key with: intake workspace key-create ${id}`,
        );
      }),
    );

  ws.command('list')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withWorkspaces(async (w) => {
        const workspaces = await w.list();
        const keys = await Promise.all(workspaces.map((x) => w.activeKeys(x._id)));
        const list = workspaces.map((x, i) => ({
          id: x._id,
          name: x.name,
          defaultCountry: x.defaultCountry,
          activeKeys: (keys[i] ?? []).map((k) => ({ id: k.id, label: k.label })),
          allowedSenders: x.allowedSenders,
          emailAutoStart: Boolean(x.emailAutoStart),
          slackTeamIds: x.slackTeamIds,
          slackConfirm: x.slackConfirm ?? 'team',
          slackAdmins: x.slackAdmins ?? [],
          slackTrustWorkspaceAdmins: Boolean(x.slackTrustWorkspaceAdmins),
          slackAnswerNonTables: x.slackAnswerNonTables !== false,
        }));
        if (o.json) say(JSON.stringify(list));
        else
          list.forEach((x) =>
            say(
              `${x.id}  ${x.name}  keys: ${x.activeKeys.map((k) => k.id).join(', ') || '-'}  senders: ${x.allowedSenders.join(', ') || '-'}  slack: ${x.slackTeamIds.join(', ') || '-'}`,
            ),
          );
      }),
    );

  ws.command('key-create <workspace>')
    .option('--label <label>', 'what the key is for')
    .action((id: string, o: { label?: string }) =>
      withWorkspaces(async (w) => {
        const { id: keyId, key } = await w.issueKey(id, o.label);
        say(`API key ${keyId} for "${id}" (shown once; only its hash is stored):\n${key}`);
      }),
    );

  ws.command('key-revoke <workspace> <keyId>').action((id: string, keyId: string) =>
    withWorkspaces(async (w) => {
      await w.revokeKey(id, keyId);
      say(`Key ${keyId} revoked.`);
    }),
  );

  ws.command('allow-sender <workspace> <addressOrDomain>')
    .description('allow an address (ana@example.com) or a domain (@example.com) to email imports')
    .action((id: string, sender: string) =>
      withWorkspaces(async (w) => {
        await w.allowSender(id, sender);
        say(`${sender} may now email imports to "${id}".`);
      }),
    );

  ws.command('disallow-sender <workspace> <addressOrDomain>').action((id: string, sender: string) =>
    withWorkspaces(async (w) => {
      await w.disallowSender(id, sender);
      say(`${sender} removed.`);
    }),
  );

  ws.command('email-auto-start <workspace> <onOrOff>')
    .description(
      'start emailed imports from authenticated senders at once when the mapping is certain (on|off)',
    )
    .action((id: string, value: string) =>
      withWorkspaces(async (w) => {
        const on = /^(on|true|yes|1)$/i.test(value);
        if (!on && !/^(off|false|no|0)$/i.test(value)) throw new Error('Use on or off.');
        await w.setEmailAutoStart(id, on);
        say(`Email auto-start is ${on ? 'on' : 'off'} for "${id}".`);
      }),
    );

  ws.command('slack-confirm <workspace> <teamOrSharer>')
    .description('who may change, start or cancel in a Slack thread: team, or sharer (and admins)')
    .action((id: string, mode: string) =>
      withWorkspaces(async (w) => {
        await w.setSlackConfirm(id, mode.toLowerCase());
        say(
          mode.toLowerCase() === 'team'
            ? `In "${id}", any member of its Slack team may now confirm imports.`
            : `In "${id}", only the person who shared the file and the Slack admins may now confirm imports.`,
        );
      }),
    );

  ws.command('slack-admin <workspace> <addRemoveOrList> [slackUserId]')
    .description('Slack users (U…) who may act on every Slack import of the workspace and undo any import')
    .action((id: string, verb: string, user: string | undefined) =>
      withWorkspaces(async (w) => {
        const v = verb.toLowerCase();
        if (v === 'list') {
          const ws = await w.get(id);
          say((ws.slackAdmins ?? []).join('\n') || '-');
          return;
        }
        if ((v !== 'add' && v !== 'remove') || !user) {
          throw new Error('Use: intake workspace slack-admin <workspace> add|remove <slackUserId>, or list.');
        }
        if (v === 'add') await w.addSlackAdmin(id, user);
        else await w.removeSlackAdmin(id, user);
        say(`${user} is ${v === 'add' ? 'now' : 'no longer'} a Slack admin of "${id}".`);
      }),
    );

  ws.command('slack-trust-admins <workspace> <onOrOff>')
    .description("count Slack's own workspace admins and owners as admins (needs the users:read scope)")
    .action((id: string, value: string) =>
      withWorkspaces(async (w) => {
        const on = /^(on|true|yes|1)$/i.test(value);
        if (!on && !/^(off|false|no|0)$/i.test(value)) throw new Error('Use on or off.');
        await w.setSlackTrustWorkspaceAdmins(id, on);
        const now = on ? 'now count' : 'no longer count';
        say(`Slack workspace admins and owners ${now} as admins of "${id}".`);
      }),
    );

  ws.command('slack-answer-non-tables <workspace> <onOrOff>')
    .description('answer a file shared in Slack that does not look like a table (on), or pass it over (off)')
    .action((id: string, value: string) =>
      withWorkspaces(async (w) => {
        const on = /^(on|true|yes|1)$/i.test(value);
        if (!on && !/^(off|false|no|0)$/i.test(value)) throw new Error('Use on or off.');
        await w.setSlackAnswerNonTables(id, on);
        say(
          on
            ? `In "${id}", a shared file that does not look like a table now gets a short answer.`
            : `In "${id}", a shared file that does not look like a table is now passed over in silence.`,
        );
      }),
    );

  ws.command('link-slack <workspace> <teamId>')
    .description('map a Slack team (T…) to this workspace')
    .action((id: string, team: string) =>
      withWorkspaces(async (w) => {
        await w.linkSlackTeam(id, team);
        say(`Slack team ${team} now imports into "${id}".`);
      }),
    );
}
