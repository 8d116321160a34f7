import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES } from '../shared/contract';

/**
 * The page gets one `api` object: a function per channel of the contract, nothing else.
 * Each returns the envelope `{ ok, data | error }`; the renderer's client unwraps it.
 */
const api = Object.freeze(
  Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(name, input ?? {})]),
  ),
);

contextBridge.exposeInMainWorld('api', api);
