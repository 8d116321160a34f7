/**
 * An import in a process of its own, as `npm run cli -- import` runs beside the app, with two
 * hooks on its ledger queries so the test can act while it is in a given phase:
 *
 *   IMPORT_DB          the ledger file
 *   IMPORT_KIND        customers | invoices | credits
 *   IMPORT_FILE        the CSV file
 *   SLOW_CHECK_MS      at its first read of customers (checking the file), print "checking" and wait this long
 *   HOLD_WRITE_MS      at its first insert of an invoice, or its first read of the document counters after
 *                      writing a batch (SQLite writes invoices on the raw connection), print "writing" and wait this long
 *
 * Prints "result <json>" with the import's result, or "error <code> <message>", then exits.
 */
import fs from 'node:fs';
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { fixedClock } from '../../../src/main/clock';
import { openLedger } from '../../../src/main/db/connection';
import type { CoreDeps } from '../../../src/main/deps';
import { createImportService } from '../../../src/main/ledger/import.service';
import { silentLogger } from '../../../src/main/log';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';

/** Written straight to the pipe, so the parent reads it even while this process waits. */
const say = (line: string) => fs.writeSync(1, `${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const slowCheckMs = Number(process.env.SLOW_CHECK_MS ?? '0');
const holdWriteMs = Number(process.env.HOLD_WRITE_MS ?? '0');

function tableOf(node: OperationNode): string | undefined {
  const n = node as { kind: string; from?: { froms?: { table?: { identifier?: { name?: string } } }[] }; into?: { table?: { identifier?: { name?: string } } } };
  if (n.kind === 'SelectQueryNode') return n.from?.froms?.[0]?.table?.identifier?.name;
  if (n.kind === 'InsertQueryNode') return n.into?.table?.identifier?.name;
  return undefined;
}

let checking = false;
let writing = false;
const labels = new Map<string, string>();
const phases: KyselyPlugin = {
  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    labels.set(queryId.queryId, `${node.kind}:${tableOf(node) ?? ''}`);
    return node;
  },
  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const label = labels.get(queryId.queryId);
    labels.delete(queryId.queryId);
    if (!checking && label === 'SelectQueryNode:customers') {
      checking = true;
      say('checking');
      await sleep(slowCheckMs);
    }
    if (!writing && (label === 'InsertQueryNode:invoices' || label === 'SelectQueryNode:counters')) {
      writing = true;
      say('writing');
      await sleep(holdWriteMs);
    }
    return result;
  },
};

const ledger = await openLedger(process.env.IMPORT_DB!);
// Only what an import uses: the ledger (with the hooks), the clock and the settings.
const imports = createImportService({
  ledger: { ...ledger, db: ledger.db.withPlugin(phases), close: () => ledger.close() },
  clock: fixedClock('2026-11-20T15:00:00Z'),
  settings: memorySettingsStore(),
  log: silentLogger,
} as unknown as CoreDeps);
try {
  const kind = process.env.IMPORT_KIND as 'customers' | 'invoices' | 'credits';
  const result = await imports.importCsvFile(kind, process.env.IMPORT_FILE!, 'cli', { source: 'file.csv' });
  say(`result ${JSON.stringify(result)}`);
} catch (e) {
  const err = e as { code?: string; message?: string };
  say(`error ${err.code ?? 'none'} ${err.message ?? String(e)}`);
} finally {
  await ledger.close();
}
