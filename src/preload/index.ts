import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { LEDGER_CHANGED, type LedgerChangeBatch } from '../shared/changes';
import { CHANNEL_NAMES } from '../shared/contract';

/**
 * The page gets one `api` object: a function per channel of the contract, and onLedgerChanged.
 * Each channel returns the envelope `{ ok, data | error }`; the renderer's client unwraps it.
 * onLedgerChanged hands the page main's live-update batches (ids only), never the IPC event itself;
 * it returns the function that stops them.
 */
const api = Object.freeze({
  ...Object.fromEntries(CHANNEL_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(name, input ?? {})])),
  onLedgerChanged: (listener: (batch: LedgerChangeBatch) => void) => {
    const forward = (_event: IpcRendererEvent, batch: LedgerChangeBatch) => listener(batch);
    ipcRenderer.on(LEDGER_CHANGED, forward);
    return () => void ipcRenderer.removeListener(LEDGER_CHANGED, forward);
  },
});

contextBridge.exposeInMainWorld('api', api);
