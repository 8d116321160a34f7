import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function documentsHandlers(core: Core): HandlersFor<'documents'> {
  const d = core.documents;
  return {
    'documents.printJobs': async (input) => ({ jobs: await d.listPrintJobs(input) }),
    'documents.print': (input, ctx) => d.printDocument(input.document, ctx.actor),
    'documents.printAgain': (input, ctx) => d.printAgain(input.jobId, ctx.actor),
    'documents.printQueued': (_input, ctx) => d.retryPrintQueue(ctx.actor),
    'documents.discardPrintJob': (input, ctx) => d.discardPrintJob(input.jobId, ctx.actor),
    'documents.pdf': (input) => d.pdf(input.document),
    'documents.outbox': async (input) => ({ messages: await d.listOutbox(input) }),
    'documents.retryEmail': (input, ctx) => d.retryEmail(input.outboxId, ctx.actor),
    'documents.cancelEmail': (input, ctx) => d.cancelEmail(input.outboxId, ctx.actor),
    'documents.setEmailRecipient': (input, ctx) => d.setEmailRecipient(input.outboxId, input.to, ctx.actor),
    'documents.startStatementBatch': (input) => core.statementBatches.start(input),
    'documents.statementBatch': (input) => core.statementBatches.get(input.batchId),
    'documents.cancelStatementBatch': (input) => core.statementBatches.cancel(input.batchId),
    'documents.emailStatement': (input, ctx) => d.emailStatement(input, ctx.actor),
    'documents.emailInvoice': (input, ctx) => d.emailInvoice(input, ctx.actor),
    'documents.emailConfirmation': (input, ctx) => d.emailConfirmation(input, ctx.actor),
  };
}
