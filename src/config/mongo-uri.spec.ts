import { databaseNameOf, mongoLocation, withDatabaseName } from './mongo-uri';

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

describe('mongoLocation', () => {
  it('names hosts and database without credentials or options', () => {
    expect(mongoLocation('mongodb://intake:s3cret@db.example.com:27017/prod?authSource=admin', 'prod')).toBe(
      'mongodb://db.example.com:27017/prod',
    );
  });

  it('drops a password holding an unescaped @, and keeps several hosts', () => {
    expect(mongoLocation('mongodb://u:p@ss@a:1,b:2/?replicaSet=rs', 'test')).toBe('mongodb://a:1,b:2/test');
  });

  it('handles mongodb+srv and a URI without credentials', () => {
    expect(mongoLocation('mongodb+srv://u:p@cluster.example.com/x', 'x')).toBe(
      'mongodb+srv://cluster.example.com/x',
    );
    expect(mongoLocation('mongodb://127.0.0.1:27017', 'test')).toBe('mongodb://127.0.0.1:27017/test');
  });

  it('never echoes what it cannot read', () => {
    expect(mongoLocation('mongodb://u:p?w@h/x', 'x')).toBe('mongodb://h/x');
    expect(mongoLocation('not a uri u:p@h', 'x')).toBe('(unreadable URI)/x');
  });
});
