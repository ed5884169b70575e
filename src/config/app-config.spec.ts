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
