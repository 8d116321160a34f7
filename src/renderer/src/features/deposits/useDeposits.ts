import { useEffect, useState } from 'react';
import type { ChannelName } from '../../../../shared/contract';
import { call, toAppError } from '../../lib/api';
import { savePdf } from '../../lib/download';
import { useChannel, useWrite } from '../../lib/queries';

/** Every read a change to a deposit makes stale. */
const DEPOSIT_READS = ['deposits.list', 'deposits.get', 'deposits.undeposited'] as const satisfies readonly ChannelName[];

/** The deposits screen without its layout: the batches, the one in view, what is waiting, and the changes to a batch. */
export function useDeposits() {
  const list = useChannel('deposits.list', { limit: 30 });
  const waiting = useChannel('deposits.undeposited', {});
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const deposit = useChannel('deposits.get', selectedId === null ? null : { depositId: selectedId });
  const open = useWrite('deposits.open', { invalidates: DEPOSIT_READS });
  const add = useWrite('deposits.addItems', { invalidates: DEPOSIT_READS });
  const remove = useWrite('deposits.removeItem', { invalidates: DEPOSIT_READS });
  const close = useWrite('deposits.close', { invalidates: DEPOSIT_READS });

  // The open batch (the newest one) is in view when the screen opens.
  useEffect(() => {
    if (selectedId !== null || !list.data) return;
    const first = list.data.deposits.find((d) => d.status === 'open') ?? list.data.deposits[0];
    if (first) setSelectedId(first.depositId);
  }, [list.data, selectedId]);

  /** Runs a change, keeping main's refusal in words on screen. */
  const run = async <T,>(what: string, work: () => Promise<T>): Promise<T | null> => {
    setBusy(what);
    setProblem(null);
    try {
      return await work();
    } catch (e) {
      setProblem(toAppError(e).message);
      return null;
    } finally {
      setBusy(null);
    }
  };

  const pickedIds = () => ({
    payments: picked.filter((k) => k.startsWith('p')).map((k) => Number(k.slice(1))),
    reversals: picked.filter((k) => k.startsWith('r')).map((k) => Number(k.slice(1))),
  });

  return {
    list,
    waiting,
    deposit,
    selectedId,
    select: (id: number) => {
      setSelectedId(id);
      setProblem(null);
    },
    picked,
    setPicked,
    problem,
    busy,
    /** A new batch with everything received by today, or with the items ticked. */
    openBatch: async () => {
      const ids = pickedIds();
      const made = await run('open', async () => {
        const d = await open.mutateAsync(picked.length === 0 ? {} : { empty: true });
        return picked.length === 0 ? d : add.mutateAsync({ depositId: d.depositId, ...ids });
      });
      if (made) {
        setSelectedId(made.depositId);
        setPicked([]);
      }
    },
    addPicked: async () => {
      if (selectedId === null) return;
      if (await run('add', () => add.mutateAsync({ depositId: selectedId, ...pickedIds() }))) setPicked([]);
    },
    removeItem: (itemId: number) => (selectedId === null ? undefined : void run(`remove-${itemId}`, () => remove.mutateAsync({ depositId: selectedId, itemId }))),
    closeBatch: () => (selectedId === null ? undefined : void run('close', () => close.mutateAsync({ depositId: selectedId }))),
    slip: () =>
      selectedId === null
        ? undefined
        : void run('slip', async () => {
            // A file for the download, not data kept on screen: asked for directly, not through the cache.
            const file = await call('deposits.slip', { depositId: selectedId });
            savePdf(file);
            return file;
          }),
  };
}
