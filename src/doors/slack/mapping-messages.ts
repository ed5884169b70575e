import { Injectable } from '@nestjs/common';
import type { ImportView } from '../../engine/imports/import-view';
import { SlackApi } from '../../protocols/slack/slack-api';
import type { SlackFile } from './slack-file.schema';
import { mappingPages, pageOfColumn } from './mapping.blocks';

/** Posts the mapping pages of an import into its thread and keeps them in step with the import. */
@Injectable()
export class MappingMessages {
  /** The newest mapping version drawn per import, so a change handled late never redraws an older one. */
  private readonly drawn = new Map<string, number>();

  constructor(private readonly slack: SlackApi) {}

  /** Posts every page in order; returns their ts (empty strings for pages that could not be posted). */
  async post(
    file: Pick<SlackFile, 'channel' | 'threadTs' | 'onDuplicate'> & { linkCompanies?: boolean },
    view: ImportView,
  ): Promise<string[]> {
    const out: string[] = [];
    for (const page of mappingPages(view, {
      onDuplicate: file.onDuplicate,
      linkCompanies: file.linkCompanies,
    })) {
      out.push(await this.slack.post({ channel: file.channel, threadTs: file.threadTs }, page));
    }
    return out;
  }

  /**
   * Re-renders pages after a change: `column` limits it to that column's page and the last one (where
   * the validation and buttons are); without it every page is redrawn (a new type, a start, a cancel).
   */
  async refresh(file: SlackFile, view: ImportView, column?: number): Promise<void> {
    if (view.mappingVersion < (this.drawn.get(view.id) ?? 0)) return;
    this.drawn.set(view.id, view.mappingVersion);
    if (this.drawn.size > 10_000) this.drawn.delete(this.drawn.keys().next().value!);
    const pages = mappingPages(view, { onDuplicate: file.onDuplicate, linkCompanies: file.linkCompanies });
    const which = new Set<number>();
    if (column === undefined) pages.forEach((_, i) => which.add(i));
    else which.add(pageOfColumn(view, column)).add(pages.length - 1);
    for (const i of [...which].sort((a, b) => a - b)) {
      const ts = file.mappingTs[i];
      const page = pages[i];
      if (ts && page) await this.slack.tryUpdate(file.channel, ts, page, 'the mapping message');
    }
  }
}
