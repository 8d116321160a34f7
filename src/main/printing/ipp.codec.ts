/**
 * The little of IPP (RFC 8010) AR Desk needs to ask CUPS about a job and a printer: encode a
 * request with operation attributes, decode the answer's attribute groups. Pure, no I/O.
 */

export const IPP_OPERATION = {
  getPrinterAttributes: 0x000b,
  getJobAttributes: 0x0009,
} as const;

const TAG = {
  operationAttributes: 0x01,
  jobAttributes: 0x02,
  end: 0x03,
  printerAttributes: 0x04,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  dateTime: 0x31,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  begCollection: 0x34,
  textWithoutLanguage: 0x41,
  nameWithoutLanguage: 0x42,
  keyword: 0x44,
  uri: 0x45,
  charset: 0x47,
  naturalLanguage: 0x48,
} as const;

export type IppValue = string | number | boolean | null;

export interface IppAttributeSpec {
  tag: 'charset' | 'naturalLanguage' | 'uri' | 'name' | 'keyword' | 'integer';
  name: string;
  values: (string | number)[];
}

export interface IppResponse {
  statusCode: number;
  requestId: number;
  /** Attribute groups in order, each a name → values map (e.g. groups.find((g) => g.tag === 'job')). */
  groups: { tag: 'operation' | 'job' | 'printer' | 'other'; attributes: Map<string, IppValue[]> }[];
}

const SPEC_TAG: Record<IppAttributeSpec['tag'], number> = {
  charset: TAG.charset,
  naturalLanguage: TAG.naturalLanguage,
  uri: TAG.uri,
  name: TAG.nameWithoutLanguage,
  keyword: TAG.keyword,
  integer: TAG.integer,
};

/** An IPP 2.0 request with one group of operation attributes (charset and language first, as IPP requires). */
export function encodeIppRequest(operation: number, requestId: number, attributes: IppAttributeSpec[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(9);
  head.writeUInt8(2, 0);
  head.writeUInt8(0, 1);
  head.writeUInt16BE(operation, 2);
  head.writeInt32BE(requestId, 4);
  head.writeUInt8(TAG.operationAttributes, 8);
  parts.push(head);
  const all: IppAttributeSpec[] = [
    { tag: 'charset', name: 'attributes-charset', values: ['utf-8'] },
    { tag: 'naturalLanguage', name: 'attributes-natural-language', values: ['en'] },
    ...attributes,
  ];
  for (const attribute of all) {
    attribute.values.forEach((value, i) => {
      const name = Buffer.from(i === 0 ? attribute.name : '', 'utf8');
      let data: Buffer;
      if (attribute.tag === 'integer') {
        data = Buffer.alloc(4);
        data.writeInt32BE(Number(value), 0);
      } else data = Buffer.from(String(value), 'utf8');
      const cell = Buffer.alloc(1 + 2 + name.length + 2);
      cell.writeUInt8(SPEC_TAG[attribute.tag], 0);
      cell.writeUInt16BE(name.length, 1);
      name.copy(cell, 3);
      cell.writeUInt16BE(data.length, 3 + name.length);
      parts.push(cell, data);
    });
  }
  parts.push(Buffer.from([TAG.end]));
  return Buffer.concat(parts);
}

function groupName(tag: number): IppResponse['groups'][number]['tag'] {
  if (tag === TAG.operationAttributes) return 'operation';
  if (tag === TAG.jobAttributes) return 'job';
  if (tag === TAG.printerAttributes) return 'printer';
  return 'other';
}

function decodeValue(tag: number, data: Buffer): IppValue {
  switch (tag) {
    case TAG.integer:
    case TAG.enum:
      return data.length === 4 ? data.readInt32BE(0) : null;
    case TAG.boolean:
      return data.length === 1 ? data.readUInt8(0) !== 0 : null;
    case TAG.textWithLanguage:
    case TAG.nameWithLanguage: {
      // language length, language, text length, text
      if (data.length < 4) return null;
      const langLength = data.readUInt16BE(0);
      const textLength = data.readUInt16BE(2 + langLength);
      return data.subarray(4 + langLength, 4 + langLength + textLength).toString('utf8');
    }
    default:
      // Strings (text, name, keyword, uri, charset, language, mimeMediaType) are UTF-8; other types are
      // kept as null: AR Desk does not read them.
      return tag >= 0x40 && tag <= 0x4f ? data.toString('utf8') : null;
  }
}

/** Decodes an IPP response; throws on a truncated message. Collections are skipped. */
export function decodeIppResponse(message: Buffer): IppResponse {
  if (message.length < 9) throw new Error('The IPP answer is too short.');
  const response: IppResponse = { statusCode: message.readUInt16BE(2), requestId: message.readInt32BE(4), groups: [] };
  let at = 8;
  let group: IppResponse['groups'][number] | undefined;
  let lastName = '';
  let collectionDepth = 0;
  const need = (n: number) => {
    if (at + n > message.length) throw new Error('The IPP answer is cut short.');
  };
  while (at < message.length) {
    const tag = message.readUInt8(at);
    at += 1;
    if (tag === TAG.end) break;
    if (tag < 0x10) {
      group = { tag: groupName(tag), attributes: new Map() };
      response.groups.push(group);
      continue;
    }
    need(2);
    const nameLength = message.readUInt16BE(at);
    at += 2;
    need(nameLength + 2);
    const name = message.subarray(at, at + nameLength).toString('utf8');
    at += nameLength;
    const valueLength = message.readUInt16BE(at);
    at += 2;
    need(valueLength);
    const data = message.subarray(at, at + valueLength);
    at += valueLength;
    if (tag === TAG.begCollection) {
      collectionDepth += 1;
      continue;
    }
    if (tag === 0x37) {
      collectionDepth = Math.max(0, collectionDepth - 1);
      continue;
    }
    if (collectionDepth > 0 || !group) continue;
    if (nameLength > 0) lastName = name;
    const values = group.attributes.get(lastName) ?? [];
    values.push(decodeValue(tag, data));
    group.attributes.set(lastName, values);
  }
  return response;
}

/** The first value of an attribute in the first group of that kind. */
export function ippFirst(response: IppResponse, group: 'job' | 'printer' | 'operation', name: string): IppValue | undefined {
  return response.groups.find((g) => g.tag === group)?.attributes.get(name)?.[0];
}

export function ippAll(response: IppResponse, group: 'job' | 'printer' | 'operation', name: string): IppValue[] {
  return response.groups.find((g) => g.tag === group)?.attributes.get(name) ?? [];
}
