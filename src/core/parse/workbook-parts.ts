import type { Readable } from 'node:stream';
import { NumberStyle, styleOfFormat, unescapeCellText } from './cell-text';
import { SharedStrings } from './shared-strings';
import { MAX_XML_RUN, walkAll } from './xml-walker';

export interface SheetEntry {
  name: string;
  /** The sheet's part in the ZIP, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
  hidden: boolean;
}

export interface WorkbookInfo {
  sheets: SheetEntry[];
  date1904: boolean;
  /** The styles and shared-strings parts the workbook's relationships name, if they name them. */
  styles?: string;
  sharedStrings?: string;
}

/** A relationship's target: its type's last word ("officeDocument", "styles") and where it points. */
interface Relationship {
  id: string;
  kind: string;
  target: string;
}

/** The relationships of a `.rels` part. */
export async function readRelationships(rels: Readable): Promise<Relationship[]> {
  const found: Relationship[] = [];
  await walkAll(rels, {
    open(name, attrs) {
      if (name === 'Relationship' && attrs.Id && attrs.Target) {
        const type = attrs.Type ?? '';
        found.push({ id: attrs.Id, kind: type.slice(type.lastIndexOf('/') + 1), target: attrs.Target });
      }
    },
    text: () => undefined,
    close: () => undefined,
  });
  return found;
}

/**
 * Sheets in workbook order, resolved to their parts through the workbook's relationships
 * (`xl/_rels/workbook.xml.rels` for a workbook at `xl/workbook.xml`); targets are relative to `dir`.
 */
export async function readWorkbookInfo(
  workbook: Readable,
  rels: Readable | null,
  dir = 'xl',
): Promise<WorkbookInfo> {
  const listed: { name: string; rid: string; hidden: boolean }[] = [];
  let date1904 = false;
  await walkAll(workbook, {
    open(name, attrs) {
      if (name === 'workbookPr') date1904 = attrs.date1904 === '1' || attrs.date1904 === 'true';
      if (name === 'sheet') {
        const rid = attrs['r:id'] ?? Object.entries(attrs).find(([k]) => k.endsWith(':id'))?.[1] ?? '';
        // Only "hidden" and "veryHidden" hide a sheet; some writers spell a visible one state="show".
        const hidden = attrs.state === 'hidden' || attrs.state === 'veryHidden';
        listed.push({ name: attrs.name ?? '', rid, hidden });
      }
    },
    text: () => undefined,
    close: () => undefined,
  });
  const relationships = rels ? await readRelationships(rels) : [];
  const targets = new Map(relationships.map((r) => [r.id, r.target]));
  const sheets = listed.flatMap((s, i) => {
    const target = targets.get(s.rid);
    const part = target ? partPath(target, dir) : `${dir}/worksheets/sheet${i + 1}.xml`;
    return [{ name: s.name, part, hidden: s.hidden }];
  });
  const of = (kind: string) => {
    const target = relationships.find((r) => r.kind === kind)?.target;
    return target ? partPath(target, dir) : undefined;
  };
  return { sheets, date1904, styles: of('styles'), sharedStrings: of('sharedStrings') };
}

/** A relationship target (relative to `dir`, or absolute from the package root) as a ZIP path. */
export function partPath(target: string, dir = 'xl'): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = dir ? dir.split('/') : [];
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

/** Each cell format's (`s` attribute's) number style, from `xl/styles.xml`. */
export async function readCellStyles(styles: Readable): Promise<NumberStyle[]> {
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  await walkAll(styles, {
    open(name, attrs) {
      if (name === 'numFmt' && attrs.numFmtId) formats.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfFormats.push(Number(attrs.numFmtId ?? 0));
    },
    text: () => undefined,
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return xfFormats.map((id) => styleOfFormat(id, formats.get(id)));
}

/**
 * The shared-strings table, rich text as plain text and phonetic guides (`<rPh>`) left out. The whole
 * table is held (compactly) while the sheet is read: the caller bounds its part's size.
 */
export async function readSharedStrings(part: Readable): Promise<SharedStrings> {
  const strings = new SharedStrings();
  let current = '';
  let inText = false;
  let inPhonetic = false;
  await walkAll(part, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && !inPhonetic) inText = true;
    },
    text(text) {
      // Several runs of one string are bounded together, as one run is by the XML walker.
      if (inText && current.length < MAX_XML_RUN) current += text;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') strings.push(unescapeCellText(current));
    },
  });
  return strings;
}
