import { loadConfig } from './app-config';

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
