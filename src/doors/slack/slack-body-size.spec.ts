import { RECORD_TYPES, RecordType } from '../../core/record-type';
import type { ImportView } from '../../engine/imports/import-view';
import { MAX_SLACK_BODY_BYTES } from '../../protocols/slack/slack-http.receiver';
import { fieldOptions, mappingPages, SINGLE_PAGE_COLUMNS } from './mapping.blocks';
import { importView } from '../../engine/conversation/import-view.fixture';

// The receiver's bound on a request body, held against the largest interaction the door's own messages cause.
describe('MAX_SLACK_BODY_BYTES', () => {
  /** A file as wide as a page holds, every header and sample as long and as costly to encode as allowed. */
  function widestView(type: RecordType): ImportView {
    const costly = (n: number) => '"<é😀'.repeat(n);
    return importView({
      id: 'imp_0123456789abcdef',
      type,
      channel: 'slack',
      fileName: `${costly(60)}.csv`,
      fileBytes: 1,
      columns: Array.from({ length: SINGLE_PAGE_COLUMNS }, (_, index) => ({
        index,
        header: costly(80),
        field: null,
        confidence: 0,
        samples: [costly(30), costly(30), costly(30)],
      })),
    });
  }

  it("is several times the largest interaction Intake's own messages can cause", () => {
    for (const type of RECORD_TYPES) {
      const [page] = mappingPages(widestView(type), { onDuplicate: 'skip' });
      const selects = page!.blocks.filter((b) => b.type === 'section' && b.accessory);
      // Slack sends the clicked message whole, plus every select's state and the action itself.
      const payload = {
        type: 'block_actions',
        user: { id: 'U0123456789', username: 'someone', team_id: 'T0123456789' },
        team: { id: 'T0123456789', domain: 'example' },
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0123456789' },
        message: { type: 'message', text: page!.text, ts: '1700000000.000100', blocks: page!.blocks },
        state: {
          values: Object.fromEntries(
            selects.map((b) => [
              b.block_id,
              { intake_column: { type: 'static_select', selected_option: fieldOptions(type)[0] } },
            ]),
          ),
        },
        response_url: `https://hooks.slack.com/actions/T0123456789/${'1'.repeat(13)}/${'a'.repeat(24)}`,
        actions: [
          { type: 'static_select', action_id: 'intake_column', selected_option: fieldOptions(type)[0] },
        ],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      expect(Buffer.byteLength(body)).toBeLessThan(MAX_SLACK_BODY_BYTES / 3);
    }
  });
});
