/** "2 records deleted, 3 restored, 1 kept (changed since)": what every door says after an undo. */
export function rollbackSentence(r: { deleted: number; restored: number; kept: number }): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(r.deleted)} records deleted, ${n(r.restored)} restored, ` + `${n(r.kept)} kept (changed since)`;
}
