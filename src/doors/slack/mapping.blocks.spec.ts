import type { ImportView } from '../../engine/imports/import-view';
import { LIMITS } from '../../protocols/slack/block-kit';
import {
  emptyColumnsText,
  COLUMNS_PER_PAGE,
  blockingReason,
  fieldOptions,
  mappingPages,
  pageOfColumn,
  pageRanges,
} from './mapping.blocks';
import { ACTION, NO_FIELD } from './slack-ids';
import { offeredView } from '../../engine/conversation/import-view.fixture';

function view(overrides: Partial<ImportView> = {}, columns = 4): ImportView {
  const fields = ['firstName', 'email', 'phone', null] as const;
  // What may be done follows from the state, as the engine says.
  return offeredView({
    channel: 'slack',
    fileBytes: 200,
    columns: Array.from({ length: columns }, (_, i) => ({
      index: i,
      header: `Header ${i}`,
      field: i < 4 ? (fields[i] ?? null) : null,
      confidence: 0.9,
      samples: [`a${i}`, `b${i}`],
    })),
    ...overrides,
  });
}

type AnyBlock = Record<string, unknown> & {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { options: { text: { text: string }; value: string }[]; initial_option?: { value: string } };
  elements?: { action_id?: string; options?: unknown[] }[];
};

const blocksOf = (v: ImportView) =>
  mappingPages(v, { onDuplicate: 'skip' }).map((p) => p.blocks as AnyBlock[]);

describe('mappingPages', () => {
  it('puts the type select, one select per column with its suggestion, the status and the buttons in one message', () => {
    const [page, ...rest] = blocksOf(view());
    expect(rest).toEqual([]);
    const type = page!.find((b) => b.block_id === 'type|imp_1')!;
    expect(type.accessory!.initial_option!.value).toBe('clients');
    const col1 = page!.find((b) => b.block_id === 'col|imp_1|1')!;
    expect(col1.accessory!.initial_option!.value).toBe('email');
    expect(col1.text!.text).toContain('*Header 1*');
    expect(col1.text!.text).toContain('`a1`, `b1`');
    const col3 = page!.find((b) => b.block_id === 'col|imp_1|3')!;
    expect(col3.accessory!.initial_option!.value).toBe(NO_FIELD);
    const actions = page!.find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual([
      ACTION.start,
      ACTION.dryRun,
      ACTION.duplicates,
      ACTION.linkCompanies,
      ACTION.template,
      ACTION.cancel,
    ]);
    expect(JSON.stringify(page)).toContain('Ready to start');
  });

  it('offers the company link checkbox for contacts, ticked unless turned off, and not for companies', () => {
    const box = (v: ReturnType<typeof view>, linkCompanies?: boolean) =>
      mappingPages(v, { onDuplicate: 'skip', linkCompanies })
        .flatMap((m) => m.blocks)
        .flatMap((b) => (b.type === 'actions' ? b.elements : []))
        .find((e) => e.action_id === ACTION.linkCompanies) as { initial_options?: unknown[] } | undefined;
    expect(box(view())?.initial_options).toHaveLength(1);
    expect(box(view(), false)?.initial_options).toBeUndefined();
    expect(box({ ...view(), type: 'companies' })).toBeUndefined();
  });

  it('marks a column whose values speak against its suggestion and says why, as Slack text', () => {
    const base = view();
    const warned = {
      ...base.columns[2]!,
      header: 'Phone',
      warning: 'The column "Phone" holds *e-mail* addresses',
    };
    const [page] = blocksOf({
      ...base,
      columns: [base.columns[0]!, base.columns[1]!, warned, base.columns[3]!],
    });
    const col2 = page!.find((b) => b.block_id === 'col|imp_1|2')!;
    expect(col2.text!.text).toContain(':warning: *Phone*');
    expect(col2.text!.text).toContain('_The column "Phone" holds e-mail addresses_');
    const col1 = page!.find((b) => b.block_id === 'col|imp_1|1')!;
    expect(col1.text!.text).not.toContain(':warning:');
  });

  it('lists missing required fields and conflicts in the status', () => {
    const v = view({ missingRequired: ['email'], conflicts: [{ field: 'phone', columns: [2, 3] }] });
    const text = JSON.stringify(blocksOf(v)[0]);
    expect(text).toContain('still missing: *Email*');
    expect(text).toContain('\\"Header 2\\" and \\"Header 3\\" are both mapped to *Phone*');
    expect(blockingReason(view())).toBeNull();
  });

  it('splits 120 columns over messages within the block, option and text limits', () => {
    const pages = blocksOf(view({}, 120));
    expect(pages).toHaveLength(Math.ceil(120 / COLUMNS_PER_PAGE));
    const ids = pages
      .flat()
      .filter((b) => b.block_id?.startsWith('col|'))
      .map((b) => b.block_id);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    for (const blocks of pages) {
      expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
      for (const b of blocks) {
        if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
        expect(b.accessory?.options.length ?? 0).toBeLessThanOrEqual(LIMITS.optionsPerSelect);
      }
    }
    expect(JSON.stringify(pages[0])).toContain('type|imp_1');
    expect(JSON.stringify(pages[2])).toContain(ACTION.start);
    expect(JSON.stringify(pages[0])).not.toContain(ACTION.start);
    expect(pageOfColumn(view({}, 120), 100)).toBe(2);
  });

  it('folds a 60-column export with mostly empty columns into one message, with a way to show them', () => {
    const v = view({}, 60);
    v.columns = v.columns.map((c) => (c.index >= 12 ? { ...c, samples: ['', ''], empty: true } : c));
    const pages = mappingPages(v, { onDuplicate: 'skip' });
    expect(pages).toHaveLength(1);
    const json = JSON.stringify(pages[0]!.blocks);
    expect(json).toContain('*48 empty columns*, not imported (no value in the rows I sampled).');
    expect(json).toContain(ACTION.showEmpty);
    expect(json).not.toContain('col|imp_1|12');
    expect(json).toContain('col|imp_1|11');
    expect(pageOfColumn(v, 30)).toBe(0);
    expect(emptyColumnsText(v)).toContain('The 48 columns of people.csv with no value in the rows I sampled');
    expect(emptyColumnsText(v)).toContain('Header 12, Header 13');
  });

  it('shows two empty columns as they are, and says when a folded column is mapped', () => {
    const two = view({}, 6);
    two.columns = two.columns.map((c) => (c.index >= 4 ? { ...c, empty: true } : c));
    expect(JSON.stringify(mappingPages(two, { onDuplicate: 'skip' })[0]!.blocks)).not.toContain(
      ACTION.showEmpty,
    );
    const mapped = view({}, 6);
    mapped.columns = mapped.columns.map((c) => (c.index >= 1 ? { ...c, empty: true } : c));
    const json = JSON.stringify(mappingPages(mapped, { onDuplicate: 'skip' })[0]!.blocks);
    expect(json).toContain('*5 empty columns*, 2 of them mapped to a field');
    expect(emptyColumnsText(mapped)).toContain('Header 1 → ');
  });

  it('shows the widest file accepted (500 columns, long headers and samples) within the limits', () => {
    const v = view({}, 500);
    v.columns = v.columns.map((c) => ({
      ...c,
      header: `${'H'.repeat(200)} ${c.index}`,
      samples: ['s'.repeat(300)],
    }));
    const pages = blocksOf(v);
    expect(pages).toHaveLength(Math.ceil(500 / COLUMNS_PER_PAGE));
    for (const blocks of pages) {
      expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
      for (const b of blocks) {
        if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
        expect(b.accessory?.options.length ?? 0).toBeLessThanOrEqual(LIMITS.optionsPerSelect);
      }
    }
    const ids = pages.flat().filter((b) => b.block_id?.startsWith('col|'));
    expect(ids).toHaveLength(500);
  });

  it('keeps a file that fits one message in one message', () => {
    expect(pageRanges(46)).toEqual([{ from: 0, to: 46 }]);
    expect(blocksOf(view({}, 46))[0]!.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(pageRanges(47)).toHaveLength(2);
  });

  it('cuts long headers and samples and escapes what Slack would read as markup', () => {
    const v = view();
    v.columns[0] = {
      ...v.columns[0]!,
      header: `<!channel> ${'x'.repeat(5000)}`,
      samples: ['*bold* & <b>', 'y'.repeat(500)],
    };
    const col = blocksOf(v)[0]!.find((b) => b.block_id === 'col|imp_1|0')!;
    expect(col.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(col.text!.text).toContain('&lt;!channel&gt;');
    expect(col.text!.text).not.toContain('<!channel>');
    expect(col.text!.text).toContain('bold &amp; &lt;b&gt;');
  });

  it('shows the mapping without controls once the import has started', () => {
    const text = JSON.stringify(blocksOf(view({ status: 'running' })));
    expect(text).not.toContain('static_select');
    expect(text).not.toContain(ACTION.start);
    expect(text).toContain('→ Email');
    expect(text).toContain('This import is running');
  });

  it('says an expired mapping was never confirmed, without controls', () => {
    const expired = view({
      status: 'cancelled',
      error: { code: 'expired', message: 'Nobody confirmed it.' },
    });
    const text = JSON.stringify(blocksOf(expired));
    expect(text).not.toContain(ACTION.start);
    expect(text).toContain('Nobody confirmed this mapping in time: the import expired.');
    expect(text).not.toContain('Mapping confirmed');
  });
});

describe('fieldOptions', () => {
  it("offers the type's fields, required ones marked, then Don't import, within the option text limit", () => {
    const options = fieldOptions('companies');
    expect(options[0]).toEqual({
      text: { type: 'plain_text', text: 'Company Name (required)' },
      value: 'name',
    });
    expect(options.at(-1)!.value).toBe(NO_FIELD);
    expect(options.every((o) => o.text.text.length <= LIMITS.optionText)).toBe(true);
    expect(options.some((o) => o.value === 'firstName')).toBe(false);
  });

  it('offers to keep the column as a custom field, and shows the custom field it has', () => {
    expect(
      fieldOptions('clients')
        .map((o) => o.value)
        .slice(-2),
    ).toEqual(['custom', NO_FIELD]);
    const options = fieldOptions('clients', 'custom.birthday');
    expect(options.slice(-3)).toEqual([
      { text: { type: 'plain_text', text: 'Custom: birthday' }, value: 'custom.birthday' },
      { text: { type: 'plain_text', text: 'Keep as custom field' }, value: 'custom' },
      { text: { type: 'plain_text', text: "Don't import" }, value: NO_FIELD },
    ]);
  });
});

describe('the notification text of a mapping', () => {
  it('shows a hostile file name as text: no mention, no link, no formatting', () => {
    const pages = mappingPages(view({ fileName: '<!channel> <https://evil.example|click> *hi*.csv' }), {
      onDuplicate: 'skip',
    });
    const text = pages[0]?.text ?? '';
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toMatch(/[<>*]/);
  });
});
