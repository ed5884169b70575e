// What each offer does: the one request of the HTTP API that carries it out.
import { Api } from './api.js';
import { save } from './dom.js';
import type { ImportView, OnDuplicate, Offer } from './types.js';

export const DRY_RUN_SENTENCE = 'Dry run started: I will read and check every row and write nothing.';

interface Started {
  message: string;
  import: ImportView;
}

export interface Done {
  /** The import to show now (a new one after "update existing"). */
  view: ImportView;
  /** A sentence for the person, when the act started something. */
  notice?: string;
}

/** Carries out `offer` on `view`; `choice` is the chosen sheet or type, `onDuplicate` the start's policy. */
export async function perform(
  api: Api,
  view: ImportView,
  offer: Offer,
  choice: string | undefined,
  onDuplicate: OnDuplicate,
): Promise<Done> {
  const path = `/imports/${encodeURIComponent(view.id)}`;
  switch (offer.kind) {
    case 'start':
    case 'dry_run': {
      const dryRun = offer.kind === 'dry_run';
      const res = await api.json<Started>('POST', `${path}/start`, { dryRun, onDuplicate });
      // The API answers every start with the import sentence; a dry run writes nothing, so it must not
      // promise records.
      return { view: res.import, notice: dryRun ? DRY_RUN_SENTENCE : res.message };
    }
    case 'run_for_real': {
      // With the dry run's own policy for existing records.
      const res = await api.json<Started>('POST', `${path}/start`, {});
      return { view: res.import, notice: res.message };
    }
    case 'update_existing': {
      const res = await api.json<Started>('POST', `${path}/update-existing`);
      return {
        view: res.import,
        notice: `${res.message} ${view.fileName} is imported again, updating the records that already existed.`,
      };
    }
    case 'cancel':
      return { view: await api.json<ImportView>('POST', `${path}/cancel`) };
    case 'retry':
      return {
        view: await api.json<ImportView>('POST', `${path}/retry`),
        notice: 'Retrying: the import goes on after the last row it wrote.',
      };
    case 'undo':
      return { view: await api.json<ImportView>('POST', `${path}/rollback`) };
    case 'choose_sheet':
      return { view: await api.json<ImportView>('PUT', `${path}/mapping`, { sheet: choice }) };
    case 'change_type':
      return { view: await api.json<ImportView>('PUT', `${path}/mapping`, { type: choice }) };
    case 'download_report': {
      const { blob, name } = await api.file(`${path}/report`);
      save(blob, name);
      return { view };
    }
    case 'change_columns':
      // The mapping editor is the control: each of its selects sends its own change.
      return { view };
  }
}
