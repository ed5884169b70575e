// Integration tests talk to real servers (and a cold FerretDB); Jest 29 only takes testTimeout globally.
jest.setTimeout(120_000);
