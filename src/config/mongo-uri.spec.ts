import { databaseNameOf, withDatabaseName } from './mongo-uri';

describe('withDatabaseName', () => {
  it('adds a database to a URI without one', () => {
    expect(withDatabaseName('mongodb://127.0.0.1:27017', 'intake')).toBe('mongodb://127.0.0.1:27017/intake');
  });

  it('replaces the database and keeps the options', () => {
    expect(withDatabaseName('mongodb://u:p@h:1/old?authSource=admin', 't1')).toBe(
      'mongodb://u:p@h:1/t1?authSource=admin',
    );
  });

  it('handles several hosts and an empty path before the options', () => {
    expect(withDatabaseName('mongodb://a:1,b:2/?replicaSet=rs', 'x')).toBe(
      'mongodb://a:1,b:2/x?replicaSet=rs',
    );
  });

  it('handles mongodb+srv', () => {
    expect(withDatabaseName('mongodb+srv://cluster.example.com/prod', 'x')).toBe(
      'mongodb+srv://cluster.example.com/x',
    );
  });

  it('refuses what is not a MongoDB URI', () => {
    expect(() => withDatabaseName('redis://127.0.0.1:6379', 'x')).toThrow('not a MongoDB connection string');
  });
});

describe('databaseNameOf', () => {
  it('reads the database name', () => {
    expect(databaseNameOf('mongodb://h:1/intake?x=1')).toBe('intake');
  });

  it('is undefined without one', () => {
    expect(databaseNameOf('mongodb://h:1/?x=1')).toBeUndefined();
  });
});
