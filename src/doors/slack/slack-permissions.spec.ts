import {
  ImportOwnership,
  SlackActor,
  SlackPolicy,
  decide,
  isSlackConfirmMode,
  notLinkedText,
  refusalText,
  slackAdminCouldAllow,
  statusScope,
} from './slack-permissions';

const team: SlackPolicy = { mode: 'team', admins: ['UADMIN'], trustSlackAdmins: false };
const sharer: SlackPolicy = { ...team, mode: 'sharer' };

const member = (userId: string, more: Partial<SlackActor> = {}): SlackActor => ({
  userId,
  teamId: 'T1',
  inWorkspaceTeam: true,
  ...more,
});
const guest = (userId: string): SlackActor => ({ userId, teamId: 'T9', inWorkspaceTeam: false });

const aliceShared: ImportOwnership = { channel: 'slack', sharedBy: 'UALICE', startedBy: null };
const aliceStarted: ImportOwnership = { channel: 'slack', sharedBy: 'UALICE', startedBy: 'UALICE' };
const bobStarted: ImportOwnership = { channel: 'slack', sharedBy: 'UALICE', startedBy: 'UBOB' };
const fromApi: ImportOwnership = { channel: 'api' };

describe('decide: confirming (change, start, cancel)', () => {
  it('lets any member of the team confirm in team mode', () => {
    expect(decide(team, member('UBOB'), 'confirm', aliceShared)).toEqual({ allowed: true });
  });

  it('lets only the sharer and admins confirm in sharer mode', () => {
    expect(decide(sharer, member('UALICE'), 'confirm', aliceShared)).toEqual({ allowed: true });
    expect(decide(sharer, member('UADMIN'), 'confirm', aliceShared)).toEqual({ allowed: true });
    expect(decide(sharer, member('UBOB'), 'confirm', aliceShared)).toEqual({
      allowed: false,
      owner: 'UALICE',
    });
  });

  it('never lets a person of another team act, in either mode, even one listed as admin', () => {
    for (const policy of [team, sharer]) {
      expect(decide(policy, guest('UEVE'), 'confirm', aliceShared).allowed).toBe(false);
      expect(decide(policy, guest('UADMIN'), 'confirm', aliceShared).allowed).toBe(false);
      expect(decide(policy, guest('UALICE'), 'confirm', aliceShared).allowed).toBe(false);
    }
  });

  it("counts Slack's own admins and owners only when the workspace trusts them", () => {
    const slackAdmin = member('UBOSS', { isSlackAdmin: true });
    expect(decide(sharer, slackAdmin, 'confirm', aliceShared).allowed).toBe(false);
    expect(decide({ ...sharer, trustSlackAdmins: true }, slackAdmin, 'confirm', aliceShared).allowed).toBe(
      true,
    );
  });
});

describe('decide: undo', () => {
  it('is for whoever started the import, and admins', () => {
    expect(decide(team, member('UBOB'), 'undo', bobStarted)).toEqual({ allowed: true });
    expect(decide(team, member('UADMIN'), 'undo', bobStarted)).toEqual({ allowed: true });
  });

  it('is refused to every other member, the sharer included, naming the starter', () => {
    expect(decide(team, member('UALICE'), 'undo', bobStarted)).toEqual({ allowed: false, owner: 'UBOB' });
    expect(decide(team, member('UCAROL'), 'undo', aliceStarted)).toEqual({
      allowed: false,
      owner: 'UALICE',
    });
  });

  it('is refused to a person of another team who started it', () => {
    expect(decide(team, guest('UBOB'), 'undo', bobStarted).allowed).toBe(false);
  });
});

describe('decide: imports from other doors', () => {
  it('are for admins only, whatever the act', () => {
    for (const act of ['confirm', 'undo', 'view'] as const) {
      expect(decide(team, member('UBOB'), act, fromApi)).toEqual({ allowed: false, owner: null });
      expect(decide(team, member('UADMIN'), act, fromApi)).toEqual({ allowed: true });
    }
  });
});

describe('decide: view', () => {
  it('shows an import to who shared or started it, and admins', () => {
    expect(decide(team, member('UALICE'), 'view', bobStarted).allowed).toBe(true);
    expect(decide(team, member('UBOB'), 'view', bobStarted).allowed).toBe(true);
    expect(decide(team, member('UADMIN'), 'view', bobStarted).allowed).toBe(true);
    expect(decide(team, member('UCAROL'), 'view', bobStarted)).toEqual({ allowed: false, owner: 'UALICE' });
  });
});

describe('slackAdminCouldAllow', () => {
  const trusting = { ...sharer, trustSlackAdmins: true };
  it('asks Slack only when trusted, refused, of the team, and not yet asked', () => {
    const refused = decide(trusting, member('UBOB'), 'confirm', aliceShared);
    expect(slackAdminCouldAllow(trusting, member('UBOB'), refused)).toBe(true);
    expect(slackAdminCouldAllow(sharer, member('UBOB'), refused)).toBe(false);
    expect(slackAdminCouldAllow(trusting, guest('UBOB'), refused)).toBe(false);
    expect(slackAdminCouldAllow(trusting, member('UBOB', { isSlackAdmin: false }), refused)).toBe(false);
    expect(slackAdminCouldAllow(trusting, member('UBOB'), { allowed: true })).toBe(false);
  });
});

describe('refusalText', () => {
  it('names the person who could act, or admins alone', () => {
    expect(refusalText({ allowed: false, owner: 'UALICE' })).toBe('Only <@UALICE> or an admin can do that.');
    expect(refusalText({ allowed: false, owner: null })).toBe('Only an admin can do that.');
  });
});

describe('statusScope', () => {
  it("lists an admin's workspace, a member's own imports, and nothing for another team", () => {
    expect(statusScope(team, member('UADMIN'))).toEqual({});
    expect(statusScope(team, member('UBOB'))).toEqual({ person: 'UBOB' });
    expect(statusScope(team, guest('UADMIN'))).toBeNull();
  });
});

describe('isSlackConfirmMode', () => {
  it('knows the two modes', () => {
    expect(isSlackConfirmMode('team')).toBe(true);
    expect(isSlackConfirmMode('sharer')).toBe(true);
    expect(isSlackConfirmMode('anyone')).toBe(false);
  });
});

describe('notLinkedText', () => {
  it('says how to link the team, escaped for Slack', () => {
    expect(notLinkedText('T0GUEST')).toBe(
      'This Slack workspace is not linked to an Intake workspace. Ask your Intake operator to run `intake workspace link-slack &lt;workspace&gt; T0GUEST`.',
    );
    expect(notLinkedText('T<x>')).toContain('T&lt;x&gt;');
  });
});
