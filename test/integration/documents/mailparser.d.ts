// mailparser ships without types; the tests need only this much of it.
declare module 'mailparser' {
  export interface ParsedAttachment {
    filename?: string;
    contentType: string;
    content: Buffer;
    size: number;
  }
  export interface ParsedMail {
    messageId?: string;
    subject?: string;
    text?: string;
    date?: Date;
    to?: { text: string };
    from?: { text: string };
    attachments: ParsedAttachment[];
  }
  export function simpleParser(source: NodeJS.ReadableStream | Buffer | string): Promise<ParsedMail>;
}
