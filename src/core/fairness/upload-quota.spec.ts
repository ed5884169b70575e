import {
  awaitingMappingFull,
  roomLeft,
  sizeText,
  storageRefusal,
  workspaceUploadsBusy,
} from './upload-quota';

const QUOTA = { bytes: 1000, reportRows: 10, retentionDays: 30 };

test('storage is refused once either the bytes or the report rows reach the quota', () => {
  expect(storageRefusal({ bytes: 999, reportRows: 9 }, QUOTA)).toBeNull();
  expect(storageRefusal({ bytes: 1000, reportRows: 0 }, QUOTA)?.code).toBe('storage_full');
  expect(storageRefusal({ bytes: 0, reportRows: 10 }, QUOTA)?.code).toBe('storage_full');
});

test('one storage sentence whichever part is full', () => {
  const bytes = storageRefusal({ bytes: 1000, reportRows: 0 }, QUOTA)!.message;
  expect(storageRefusal({ bytes: 0, reportRows: 10 }, QUOTA)!.message).toBe(bytes);
  expect(bytes).toBe(
    "This workspace's storage is full (1,000 bytes of files or 10 report rows); cancel imports waiting " +
      "for a mapping or wait until ended imports' files and reports are deleted, 30 days after they end.",
  );
});

test('room left is what still fits, never less than one byte', () => {
  expect(roomLeft({ bytes: 400, reportRows: 0 }, QUOTA)).toBe(600);
  expect(roomLeft({ bytes: 4000, reportRows: 0 }, QUOTA)).toBe(1);
});

test('sizes read as a person reads them', () => {
  expect(sizeText(5 * 1024 ** 3)).toBe('5 GB');
  expect(sizeText(1536 * 1024)).toBe('1.5 MB');
  expect(sizeText(1)).toBe('1 byte');
});

test('refusals carry stable codes', () => {
  expect(awaitingMappingFull(50).code).toBe('quota_exceeded');
  expect(workspaceUploadsBusy(4).message).toBe(
    'This workspace is already sending 4 files at once; send this one again when they have arrived.',
  );
});
