import { CHANNEL_NAMES } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import type { Core } from '../core';
import { buildHandlers } from './handlers';
import { dispatch, type CallContext } from './dispatch';

/** The slice of Electron's ipcMain this module needs, so it stays testable without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
export interface IpcEventLike {
  senderFrame: { url: string } | null;
  sender: { id: number };
}

export interface RegisterOptions {
  /** True only for the app's own window loading the app's own page. */
  isTrustedSender(event: IpcEventLike): boolean;
  context(): CallContext;
}

/** Binds every channel of the contract to its handler. Returns a function that unbinds them. */
export function registerIpc(core: Core, ipc: IpcMainLike, options: RegisterOptions): () => void {
  const handlers = buildHandlers(core);
  for (const name of CHANNEL_NAMES) {
    ipc.handle(name, async (event, input): Promise<Envelope<unknown>> => {
      if (!options.isTrustedSender(event)) {
        core.deps.log.warn(`Refused ${name} from an untrusted sender`, { url: event.senderFrame?.url ?? null });
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call AR Desk.' } };
      }
      return dispatch(handlers, name, input, options.context(), core.deps.log);
    });
  }
  return () => CHANNEL_NAMES.forEach((name) => ipc.removeHandler(name));
}
