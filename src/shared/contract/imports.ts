import { z } from 'zod';
import { channel } from './define';

/**
 * Importing a CSV file from the screen: the page sends the file in pieces to main, which keeps it
 * in a file of its own, then imports it there (all or nothing, streamed, in two passes: every row
 * checked, then written) while the screen follows the progress.
 */

export const IMPORT_FILE_KINDS = ['customers', 'invoices', 'credits'] as const;
export type ImportFileKind = (typeof IMPORT_FILE_KINDS)[number];
/** The largest file taken from the screen (a million invoices is about 100 MB). */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024 * 1024;
/** The bytes of the file sent in one call (base64 in the call, under the bridge's 1 MB body). */
export const IMPORT_PIECE_BYTES = 512 * 1024;
const PIECE_MAX_CHARS = Math.ceil(IMPORT_PIECE_BYTES / 3) * 4;
/** How many refused lines an import lists (the count says how many in all). */
export const IMPORT_ERRORS_LISTED = 200;

export interface ImportJobView {
  id: number;
  kind: ImportFileKind;
  fileName: string;
  /**
   * receiving: the file is on its way; checking: every row is read and checked (nothing written);
   * writing: the rows are being written in one transaction; done: imported; refused: bad rows,
   * nothing written; failed: stopped by an error, nothing written.
   */
  status: 'receiving' | 'checking' | 'writing' | 'done' | 'refused' | 'failed';
  /** Of the file, as the page said and as received so far. */
  bytes: number;
  receivedBytes: number;
  /** Data rows checked or written so far, of `totalRows` (known once every row is checked). */
  rows: number;
  totalRows: number | null;
  /** Once imported: rows and money written. */
  counts: { rows: number; amountCents: number; paidCents: number; payments: number } | null;
  /** Once refused: the first refused lines with their reasons, and how many in all. */
  errors: { line: number; message: string }[];
  errorCount: number;
  /** Once failed: why. */
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const importId = z.number().int().positive();

export const importsChannels = {
  /** Announces a file: its kind, name and size; answers the import's id, to send its text to. */
  'imports.begin': channel<ImportJobView>()(
    z.strictObject({
      kind: z.enum(IMPORT_FILE_KINDS),
      fileName: z.string().trim().min(1).max(255),
      bytes: z.number().int().min(1).max(IMPORT_MAX_BYTES),
    }),
  ),
  /** The file's next piece (its bytes in base64), numbered from 0 so a piece sent twice or out of order is refused. */
  'imports.append': channel<ImportJobView>()(
    z.strictObject({
      importId,
      piece: z.number().int().min(0),
      data: z
        .string()
        .min(4)
        .max(PIECE_MAX_CHARS)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be the piece in base64'),
    }),
  ),
  /** The whole file is there: checks and imports it while the screen asks for the progress. */
  'imports.start': channel<ImportJobView>()(z.strictObject({ importId })),
  /** An import's progress, or its outcome. */
  'imports.get': channel<ImportJobView>()(z.strictObject({ importId })),
};
