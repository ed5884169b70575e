import { Injectable } from '@nestjs/common';
import { WorkspacesRepository } from '../../engine/workspaces/workspaces.repository';
import { allowCandidates, pickWorkspace } from './email-address';

/** Which workspace a sender may import into: the one that allows it most specifically, or none. */
@Injectable()
export class SenderPolicy {
  constructor(private readonly workspaces: WorkspacesRepository) {}

  async workspaceFor(address: string): Promise<string | null> {
    if (!address.includes('@')) return null;
    const found = await this.workspaces.findAllowingSender(allowCandidates(address));
    return pickWorkspace(found, address);
  }

  async autoStart(workspaceId: string): Promise<boolean> {
    return Boolean((await this.workspaces.find(workspaceId))?.emailAutoStart);
  }
}
