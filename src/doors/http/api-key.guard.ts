import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { IntakeError } from '../../core/intake-error';
import { WorkspacesService } from '../../engine/workspaces/workspaces.service';
import { bearerToken } from '../../protocols/http/admin-auth';

type AuthedRequest = Request & { workspaceId?: string };

/** Every API request names its workspace by its API key; the key is looked up by its hash. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly workspaces: WorkspacesService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req.headers.authorization);
    const ws = token ? await this.workspaces.byApiKey(token) : null;
    if (!ws) throw new IntakeError('unauthorized', 'Send a valid API key as "Authorization: Bearer <key>".');
    req.workspaceId = ws._id;
    return true;
  }
}

export const WorkspaceId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const id = ctx.switchToHttp().getRequest<AuthedRequest>().workspaceId;
  if (!id) throw new IntakeError('unauthorized', 'No workspace on this request.');
  return id;
});
