import { CUSTOM_FROM_HEADER, isCustomTarget, MappingTarget, targetLabel } from '../../core/custom-field';
import { fieldDef, fieldsOf } from '../../core/field-catalog';
import { isExpired } from '../../core/lifecycle/retention';
import type { RecordType } from '../../core/record-type';
import type { OnDuplicate } from '../../engine/imports/import.schema';
import type { ColumnView, ImportView } from '../../engine/imports/import-view';
import {
  LIMITS,
  SlackMessage,
  button,
  clip,
  context,
  esc,
  literal,
  mrkdwnSection,
  option,
  staticSelect,
} from '../../protocols/slack/block-kit';
import type { KnownBlock, PlainTextOption } from '../../protocols/slack/block-kit';
import { ACTION, FORGET_LEARNED, NO_FIELD, columnBlockId, importBlockId } from './slack-ids';
import { readinessOf } from '../../engine/conversation/readiness';
import { learnedNote } from './learned.blocks';
import { TYPE_LABEL, offerElements, offers } from './offer.blocks';

/** Columns that fit one message next to the intro, status and buttons (4 blocks). */
export const SINGLE_PAGE_COLUMNS = LIMITS.blocksPerMessage - 4;
/** Columns per message when a file needs several (each page adds at most 3 blocks). */
export const COLUMNS_PER_PAGE = 40;

const DUPLICATES: Record<OnDuplicate, string> = {
  skip: 'Duplicates: skip existing',
  update: 'Duplicates: update existing',
  fill: 'Duplicates: fill empty fields',
};

export interface MappingState {
  onDuplicate: OnDuplicate;
  /** Absent: on. */
  linkCompanies?: boolean;
}

/** From this many columns with no value in the sample rows, they are folded into one line. */
export const FOLD_EMPTY_AT = 3;

/**
 * The columns shown one by one, and the empty ones folded into one line. Emptiness comes from the
 * file alone, so the pages keep their columns whatever is chosen in them.
 */
export function shownColumns(view: Pick<ImportView, 'columns'>): {
  shown: ColumnView[];
  folded: ColumnView[];
} {
  const folded = view.columns.filter((c) => c.empty);
  if (folded.length < FOLD_EMPTY_AT) return { shown: view.columns, folded: [] };
  return { shown: view.columns.filter((c) => !c.empty), folded };
}

/** How many messages the mapping takes. */
export function pageCount(view: Pick<ImportView, 'columns'>): number {
  return pageRanges(shownColumns(view).shown.length).length;
}

/** Which columns go on which page: one message when they fit, pages of COLUMNS_PER_PAGE otherwise. */
export function pageRanges(columnCount: number): { from: number; to: number }[] {
  if (columnCount <= SINGLE_PAGE_COLUMNS) return [{ from: 0, to: columnCount }];
  const pages: { from: number; to: number }[] = [];
  for (let from = 0; from < columnCount; from += COLUMNS_PER_PAGE) {
    pages.push({ from, to: Math.min(columnCount, from + COLUMNS_PER_PAGE) });
  }
  return pages;
}

/** The page a column is on (a folded column's line is on the last page). */
export function pageOfColumn(view: Pick<ImportView, 'columns'>, index: number): number {
  const { shown } = shownColumns(view);
  const at = shown.findIndex((c) => c.index === index);
  const ranges = pageRanges(shown.length);
  return at < 0 ? ranges.length - 1 : ranges.findIndex((p) => at >= p.from && at < p.to);
}

/**
 * The mapping conversation: one message, or several in the thread for wide files. The first page has
 * the type, the last the missing fields and the buttons. Once the import has started, the same pages
 * are shown without controls, so nobody changes a mapping that is already running.
 */
export function mappingPages(view: ImportView, state: MappingState): SlackMessage[] {
  const { shown, folded } = shownColumns(view);
  const ranges = pageRanges(shown.length);
  const editable = view.status === 'awaiting_mapping';
  return ranges.map((range, page) => {
    const blocks: KnownBlock[] = [];
    if (page === 0) blocks.push(...intro(view, editable));
    if (ranges.length > 1) {
      blocks.push(
        context(
          `Columns ${range.from + 1}–${range.to} of ${shown.length} shown (message ${page + 1} of ${ranges.length})`,
        ),
      );
    }
    for (const col of shown.slice(range.from, range.to)) blocks.push(columnBlock(view, col, editable));
    if (page === ranges.length - 1)
      blocks.push(...foldedLine(view, folded), ...footer(view, state, editable));
    const part = ranges.length > 1 ? ` (${page + 1}/${ranges.length})` : '';
    return { text: clip(`Import ${literal(view.fileName, 120)}: check the mapping${part}`, 300), blocks };
  });
}

/** "18 empty columns, not imported", with a button that shows them to whoever asks. */
function foldedLine(view: ImportView, folded: readonly ColumnView[]): KnownBlock[] {
  if (!folded.length) return [];
  const mapped = folded.filter((c) => c.field).length;
  const fate = mapped ? `${mapped} of them mapped to a field` : 'not imported';
  return [
    mrkdwnSection(
      `*${folded.length} empty columns*, ${fate} (no value in the rows I sampled).`,
      importBlockId('empty', view.id),
      button(ACTION.showEmpty, 'Show them', view.id),
    ),
  ];
}

/** The folded columns by name, and where each goes: told only to the person who asked. */
export function emptyColumnsText(view: ImportView): string {
  const { folded } = shownColumns(view);
  if (!folded.length) return `No column of ${view.fileName} is folded away as empty.`;
  const names = folded.map((c) => {
    const name = literal(c.header || `Column ${c.index + 1}`, 80);
    return c.field ? `${name} → ${targetLabel(c.field)}` : name;
  });
  return clip(
    `The ${folded.length} columns of ${literal(view.fileName, 120)} with no value in the rows I sampled ` +
      `(not imported unless mapped): ${names.join(', ')}.`,
    LIMITS.sectionText,
  );
}

/** "`clients.xlsx` (sheet *Clients*)" for a workbook, "`clients.csv`" for a CSV. */
function fileLabel(view: ImportView): string {
  const file = `\`${literal(view.fileName, 120)}\``;
  return view.sheet ? `${file} (sheet *${literal(view.sheet, 100)}*)` : file;
}

function intro(view: ImportView, editable: boolean): KnownBlock[] {
  const file = fileLabel(view);
  const what = `*${view.columns.length}* column${view.columns.length === 1 ? '' : 's'}`;
  if (!editable) {
    return [mrkdwnSection(`Import of ${file} as *${TYPE_LABEL[view.type]}*: ${what}.`)];
  }
  const [typeSelect] = offerElements(view, ['change_type']);
  return [
    mrkdwnSection(
      `I read ${file}: ${what}. I think it holds *${TYPE_LABEL[view.type]}*. ` +
        'Check where each column goes, then press *Start import*.',
      importBlockId('type', view.id),
      typeSelect,
    ),
  ];
}

function columnBlock(view: ImportView, col: ColumnView, editable: boolean): KnownBlock {
  const conflict = view.conflicts.some((c) => c.columns.includes(col.index));
  const samples = col.samples.filter((s) => s.trim() !== '');
  const sampleText = samples.length
    ? samples.map((s) => `\`${literal(s, 40)}\``).join(', ')
    : '_no sample values_';
  const warned = Boolean(col.warning && col.field);
  const name = `*${literal(col.header || `Column ${col.index + 1}`, 150)}*`;
  const note = warned ? `\n_${literal(col.warning ?? '', 200)}_` : '';
  const title = `${conflict || warned ? ':warning: ' : ''}${name}${note}${learnedNote(col)}`;
  if (!editable || !offers(view, 'change_columns')) {
    const target = col.field ? literal(targetLabel(col.field), 80) : "_don't import_";
    return mrkdwnSection(`${title} → ${target}\n${sampleText}`);
  }
  const forget = col.learnedFrom ? [option('Forget what was learned', FORGET_LEARNED)] : [];
  const options = [
    ...fieldOptions(view.type, col.field).slice(0, LIMITS.optionsPerSelect - forget.length),
    ...forget,
  ];
  const initial = options.find((o) => o.value === (col.field ?? NO_FIELD));
  return mrkdwnSection(
    `${title}\n${sampleText}`,
    columnBlockId(view.id, col.index),
    staticSelect(ACTION.column, 'Choose a field', options, initial),
  );
}

/**
 * The type's fields (required ones marked), the column's custom field when it has one, "Keep as custom
 * field" and "Don't import", within the 100-option limit.
 */
export function fieldOptions(type: RecordType, current: MappingTarget | null = null): PlainTextOption[] {
  const fields = fieldsOf(type).map((f) =>
    option(f.requiredFor.includes(type) ? `${f.label} (required)` : f.label, f.key),
  );
  const custom = isCustomTarget(current) ? [option(clip(targetLabel(current), 75), current)] : [];
  const tail = [
    ...custom,
    option('Keep as custom field', CUSTOM_FROM_HEADER),
    option("Don't import", NO_FIELD),
  ];
  return [...fields.slice(0, LIMITS.optionsPerSelect - tail.length), ...tail];
}

/** Why the import cannot start yet, or null when it can. */
export function blockingReason(view: ImportView): string | null {
  const lines = readinessOf(view).problems.map((p) => {
    if (p.kind === 'conflict') {
      const headers = p.headers.map((h) => `"${literal(h, 60)}"`);
      return `${headers.join(' and ')} are both mapped to *${targetLabel(p.field)}*. Choose one.`;
    }
    const labels = p.fields.map((k) => `*${fieldDef(k).label}*`).join(', ');
    const many = p.fields.length > 1;
    return `Required field${many ? 's' : ''} still missing: ${labels}. Map a column to ${many ? 'them' : 'it'}.`;
  });
  return lines.length ? clip(lines.join('\n'), LIMITS.sectionText - 20) : null;
}

function footer(view: ImportView, state: MappingState, editable: boolean): KnownBlock[] {
  if (!editable) {
    const mode = view.dryRun ? 'dry run' : 'import';
    if (isExpired(view.error))
      return [context(`Nobody confirmed this mapping in time: the ${mode} expired.`)];
    return [context(`Mapping confirmed. This ${mode} is ${view.status.replace('_', ' ')}.`)];
  }
  const reason = blockingReason(view);
  const status = reason
    ? `:warning: ${reason}`
    : ':white_check_mark: Every required field is mapped. Ready to start.';
  const dupOptions = (Object.keys(DUPLICATES) as OnDuplicate[]).map((d) => option(DUPLICATES[d], d));
  const linkOption = option('Link contacts to companies', 'link');
  const linkBox =
    view.type === 'companies'
      ? []
      : [
          {
            type: 'checkboxes' as const,
            action_id: ACTION.linkCompanies,
            options: [linkOption],
            ...(state.linkCompanies !== false ? { initial_options: [linkOption] } : {}),
          },
        ];
  return [
    mrkdwnSection(status),
    {
      type: 'actions',
      block_id: importBlockId('controls', view.id),
      // The conversation's offers where they belong: start first, the choice of sheet, cancel last.
      elements: [
        ...offerElements(view, ['start', 'dry_run', 'choose_sheet']),
        staticSelect(
          ACTION.duplicates,
          'Duplicates',
          dupOptions,
          dupOptions.find((o) => o.value === state.onDuplicate),
        ),
        ...linkBox,
        button(ACTION.template, 'Sample template', view.id),
        ...offerElements(view, ['cancel']),
      ],
    },
  ];
}

/** Said in the thread when *Start import* is pressed too early. */
export function startRefusedMessage(reason: string): SlackMessage {
  const next =
    "Pick the column in the selects above (*Don't import* on one of two columns claiming a field), " +
    'or press *Sample template* for a file with the columns Intake knows best.';
  return {
    text: `I can't start this import yet: ${reason} ${next.replace(/\*/g, '')}`,
    blocks: [mrkdwnSection(`:no_entry: I can't start this import yet.\n${esc(reason)}\n${next}`)],
  };
}
