import { loadConfig } from './app-config';
import { unauthenticatedMailWarning } from './mail-trust';

describe('queue prefix', () => {
  it('defaults to one per database, so setups sharing a Redis never take each other’s jobs', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://db.example:27017/sales' }).queue.prefix).toBe('intake-sales');
    expect(loadConfig({ MONGODB_URI: 'mongodb://a:1,b:2/ops?replicaSet=rs0' }).queue.prefix).toBe(
      'intake-ops',
    );
    expect(loadConfig({}).queue.prefix).toBe('intake-intake');
  });

  it('is what INTAKE_QUEUE_PREFIX says when it is set', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://h/sales', INTAKE_QUEUE_PREFIX: 'shared' }).queue.prefix).toBe(
      'shared',
    );
  });
});

describe('mail authentication', () => {
  it('is off by default on loopback and on by default beyond it', () => {
    expect(loadConfig({}).mail.mailAuth).toBe('off');
    expect(loadConfig({ SMTP_HOST: '::1' }).mail.mailAuth).toBe('off');
    expect(loadConfig({ SMTP_HOST: '0.0.0.0' }).mail.mailAuth).toBe('enforce');
    expect(loadConfig({ SMTP_HOST: '192.0.2.7' }).mail.mailAuth).toBe('enforce');
  });

  it('is off beyond loopback only when INTAKE_MAIL_AUTH says so', () => {
    expect(loadConfig({ SMTP_HOST: '0.0.0.0', INTAKE_MAIL_AUTH: 'off' }).mail.mailAuth).toBe('off');
    expect(() => loadConfig({ INTAKE_MAIL_AUTH: 'yes' })).toThrow(/INTAKE_MAIL_AUTH/);
  });

  it('takes an empty INTAKE_MAIL_AUTH for unset', () => {
    expect(loadConfig({ SMTP_HOST: '0.0.0.0', INTAKE_MAIL_AUTH: '' }).mail.mailAuth).toBe('enforce');
  });

  it('warns at start only when it is off beyond loopback', () => {
    const warning = (env: NodeJS.ProcessEnv) => unauthenticatedMailWarning(loadConfig(env).mail);
    expect(warning({ SMTP_HOST: '0.0.0.0', INTAKE_MAIL_AUTH: 'off' })).toMatch(
      /INTAKE_MAIL_AUTH=off while SMTP listens on 0\.0\.0\.0/,
    );
    expect(warning({ SMTP_HOST: '0.0.0.0' })).toBeNull();
    expect(warning({ INTAKE_MAIL_AUTH: 'off' })).toBeNull();
  });

  it('reads trusted relays as authserv-id=network and ARC sealers as domains', () => {
    const mail = loadConfig({
      INTAKE_MAIL_TRUSTED_RELAYS: 'MX.Example.net=192.0.2.0/24, mx.example.net=2001:db8::1',
      INTAKE_MAIL_TRUSTED_ARC_SEALERS: 'Example.net',
    }).mail;
    expect(mail.trustedRelays).toEqual([
      { authservId: 'mx.example.net', address: '192.0.2.0', prefix: 24, family: 'ipv4' },
      { authservId: 'mx.example.net', address: '2001:db8::1', prefix: 128, family: 'ipv6' },
    ]);
    expect(mail.trustedArcSealers).toEqual(['example.net']);
  });

  it('refuses a relay without its network, or a network that is not one', () => {
    expect(() => loadConfig({ INTAKE_MAIL_TRUSTED_RELAYS: 'mx.example.net' })).toThrow(
      /INTAKE_MAIL_TRUSTED_RELAYS/,
    );
    expect(() => loadConfig({ INTAKE_MAIL_TRUSTED_RELAYS: 'mx.example.net=192.0.2.0/33' })).toThrow(
      /authserv-id=address/,
    );
    expect(() => loadConfig({ INTAKE_MAIL_TRUSTED_ARC_SEALERS: 'not a domain' })).toThrow(
      /not a domain name/,
    );
  });
});

describe('operator key', () => {
  it('is unset by default, so the queue dashboard is not served', () => {
    expect(loadConfig({}).http.adminKey).toBeUndefined();
  });

  it('is refused when shorter than 16 characters, naming the variable', () => {
    expect(() => loadConfig({ INTAKE_ADMIN_KEY: 'short' })).toThrow(
      /INTAKE_ADMIN_KEY: at least 16 characters/,
    );
    expect(loadConfig({ INTAKE_ADMIN_KEY: 'a-long-enough-operator-key' }).http.adminKey).toBe(
      'a-long-enough-operator-key',
    );
  });
});

describe('Slack download timeout', () => {
  it('defaults to 30 s and is never below 1 s', () => {
    expect(loadConfig({}).slack.downloadTimeoutMs).toBe(30_000);
    expect(loadConfig({ SLACK_DOWNLOAD_TIMEOUT_MS: '10' }).slack.downloadTimeoutMs).toBe(1000);
  });
});

describe('CSV attachments per message', () => {
  it('defaults to 10 and is at least 1', () => {
    expect(loadConfig({}).mail.maxCsvPerMessage).toBe(10);
    expect(loadConfig({ INTAKE_MAIL_MAX_CSV: '3' }).mail.maxCsvPerMessage).toBe(3);
    expect(loadConfig({ INTAKE_MAIL_MAX_CSV: '0' }).mail.maxCsvPerMessage).toBe(1);
  });

  it('refuses a value that is not a whole number', () => {
    expect(() => loadConfig({ INTAKE_MAIL_MAX_CSV: 'many' })).toThrow(/INTAKE_MAIL_MAX_CSV/);
  });
});

describe('what one SMTP client may hold', () => {
  it('defaults to 5 connections, 60 s without starting a message and 10 min a connection', () => {
    expect(loadConfig({}).mail).toMatchObject({
      maxConnectionsPerClient: 5,
      idleMs: 60_000,
      sessionMs: 600_000,
    });
  });

  it('never goes below 1 connection or 1 s', () => {
    const mail = loadConfig({
      INTAKE_SMTP_MAX_PER_CLIENT: '0',
      INTAKE_SMTP_IDLE_MS: '5',
      INTAKE_SMTP_SESSION_MS: '5',
    }).mail;
    expect(mail).toMatchObject({ maxConnectionsPerClient: 1, idleMs: 1000, sessionMs: 1000 });
  });
});

describe('time budget of an inbound message', () => {
  it('defaults to 5 min and is never below 1 s', () => {
    expect(loadConfig({}).mail.handlingBudgetMs).toBe(300_000);
    expect(loadConfig({ INTAKE_MAIL_HANDLING_MS: '10' }).mail.handlingBudgetMs).toBe(1000);
  });
});

describe('limits of a file', () => {
  it('default to 500 columns, 50 extra cells, 4 MiB a row, 8 MiB a batch and 2 KiB / 16 KiB in the report', () => {
    expect(loadConfig({}).limits).toMatchObject({
      maxColumns: 500,
      rows: { maxExtraCells: 50, maxRecordBytes: 4 * 1024 * 1024 },
      batchMaxBytes: 8 * 1024 * 1024,
      report: { cellChars: 2048, rowChars: 16 * 1024, attachmentBytes: 10 * 1024 * 1024 },
    });
  });

  it('are what the settings say, within sane floors', () => {
    const limits = loadConfig({
      INTAKE_MAX_COLUMNS: '1000',
      INTAKE_MAX_EXTRA_CELLS: '0',
      INTAKE_MAX_ROW_BYTES: '10',
      INTAKE_BATCH_MAX_BYTES: '1048576',
      INTAKE_REPORT_CELL_CHARS: '100',
      INTAKE_REPORT_ROW_CHARS: '1000',
      INTAKE_REPORT_ATTACHMENT_MAX_BYTES: '10',
    }).limits;
    expect(limits).toMatchObject({
      maxColumns: 1000,
      rows: { maxExtraCells: 0, maxRecordBytes: 1024 },
      batchMaxBytes: 1048576,
      report: { cellChars: 100, rowChars: 1000, attachmentBytes: 4096 },
    });
    expect(() => loadConfig({ INTAKE_MAX_COLUMNS: 'many' })).toThrow(/INTAKE_MAX_COLUMNS/);
  });
});

describe('retention', () => {
  it('keeps files 30 days, awaits a mapping 7 days and remembers 500 headers per type by default', () => {
    expect(loadConfig({}).retention).toEqual({
      fileDays: 30,
      awaitingMappingDays: 7,
      learnedMappingsMax: 500,
      sweepMs: 3_600_000,
    });
  });

  it('never goes below one day or one learned header', () => {
    const r = loadConfig({
      INTAKE_FILE_RETENTION_DAYS: '0',
      INTAKE_MAPPING_TTL_DAYS: '0',
      INTAKE_LEARNED_MAPPINGS_MAX: '0',
    }).retention;
    expect([r.fileDays, r.awaitingMappingDays, r.learnedMappingsMax]).toEqual([1, 1, 1]);
    expect(() => loadConfig({ INTAKE_FILE_RETENTION_DAYS: 'a month' })).toThrow(/INTAKE_FILE_RETENTION_DAYS/);
  });
});
