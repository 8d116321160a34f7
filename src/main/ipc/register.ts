import { CHANNEL_NAMES } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import type { Core } from '../core';
import { createDispatcher } from './handlers';
import { dispatch } from './dispatch';

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
}

/**
 * Binds every channel of the contract to its handler. Returns a function that unbinds them. The
 * staff session lives in main, tied to the sending window (its webContents id): the renderer never
 * holds a session token. The shell ends the session when the window goes (core.staff.sessions.endForWindow).
 */
export function registerIpc(core: Core, ipc: IpcMainLike, options: RegisterOptions): () => void {
  const dispatcher = createDispatcher(core);
  for (const name of CHANNEL_NAMES) {
    ipc.handle(name, async (event, input): Promise<Envelope<unknown>> => {
      if (!options.isTrustedSender(event)) {
        core.deps.log.warn(`Refused ${name} from an untrusted sender`, { url: event.senderFrame?.url ?? null });
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call AR Desk.' } };
      }
      return dispatch(dispatcher, name, input, { via: 'window', windowId: event.sender.id });
    });
  }
  return () => CHANNEL_NAMES.forEach((name) => ipc.removeHandler(name));
}
