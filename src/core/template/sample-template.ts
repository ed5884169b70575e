import { stringify } from 'csv-stringify/sync';
import { fieldsOf } from '../field-catalog';
import { RecordType } from '../record-type';

/** The sample CSV of a type: every field's label as header, then two example rows. */
export function sampleTemplate(type: RecordType): string {
  const fields = fieldsOf(type).filter((f) => f.kind !== 'fullName');
  return stringify([
    fields.map((f) => f.label),
    fields.map((f) => f.examples[0]),
    fields.map((f) => f.examples[1]),
  ]);
}

export function templateFileName(type: RecordType): string {
  return `intake-${type}-template.csv`;
}
