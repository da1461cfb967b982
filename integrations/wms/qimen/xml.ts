/**
 * The XML Qimen speaks: `<request>`/`<response>` documents of nested elements with text, no
 * attributes that matter, lists as repeated elements inside a plural wrapper
 * (`<orderLines><orderLine>…</orderLine></orderLines>`). This is a small, strict reader and writer
 * for that shape: it rejects malformed documents instead of guessing, and decodes the five named
 * entities, numeric references and CDATA.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's own text (concatenated, entity-decoded, untrimmed). */
  text: string;
}

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named = NAMED[ref];
    if (named === undefined) throw new XmlError(`unknown entity ${whole} near offset ${at}`);
    return named;
  });
}

const NAME = /^[A-Za-z_][\w.-]*/;

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (problem: string): never => {
    throw new XmlError(`${problem} at offset ${pos}`);
  };
  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    if (lt < 0) {
      if (source.slice(pos).trim()) fail('text after the root element');
      break;
    }
    if (lt > pos) {
      const text = source.slice(pos, lt);
      const current = stack.at(-1);
      if (current) current.text += decode(text, pos);
      else if (text.trim()) fail('text outside the root element');
    }
    pos = lt;
    if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos);
      if (end < 0) fail('unterminated declaration');
      pos = end + 2;
    } else if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos);
      if (end < 0) fail('unterminated comment');
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end < 0) fail('unterminated CDATA');
      const current = stack.at(-1) ?? fail('CDATA outside the root element');
      current.text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!', pos)) {
      fail('document type declarations are not accepted');
    } else if (source.startsWith('</', pos)) {
      const end = source.indexOf('>', pos);
      if (end < 0) fail('unterminated closing tag');
      const name = source.slice(pos + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail(`closing </${name}> does not match <${open?.name ?? ''}>`);
      pos = end + 1;
    } else {
      const match = NAME.exec(source.slice(pos + 1));
      if (!match) fail('invalid element name');
      const name = match![0];
      const end = source.indexOf('>', pos);
      if (end < 0) fail(`unterminated <${name}>`);
      const selfClosing = source[end - 1] === '/';
      const element: XmlElement = { name, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) fail('a second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      pos = end + 1;
    }
  }
  if (stack.length) throw new XmlError(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new XmlError('no root element');
  return root;
}

/** The first child element with this name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Every child element with this name. */
export function childrenOf(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of a child element; undefined when absent or empty. */
export function textOf(element: XmlElement | undefined, name: string): string | undefined {
  const text = child(element, name)?.text.trim();
  return text ? text : undefined;
}

/** A value to write: text, a nested element, or a list written as repeated elements. */
export type XmlValue = string | number | XmlObject | XmlList | undefined | null;
export interface XmlObject {
  [name: string]: XmlValue;
}
/** `{ item: 'orderLine', values: [...] }` writes `<orderLine>…</orderLine>` once per value. */
export interface XmlList {
  item: string;
  values: XmlObject[];
}

function isList(value: XmlValue): value is XmlList {
  return typeof value === 'object' && value !== null && Array.isArray((value as XmlList).values);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${Object.keys(NAMED).find((k) => NAMED[k] === c)};`);
}

function write(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') {
    return `<${name}>${escapeXml(String(value))}</${name}>`;
  }
  if (isList(value)) {
    return `<${name}>${value.values.map((v) => write(value.item, v)).join('')}</${name}>`;
  }
  return `<${name}>${Object.entries(value)
    .map(([k, v]) => write(k, v))
    .join('')}</${name}>`;
}

/** A complete document: declaration and root element; unset fields are left out. */
export function toXml(root: string, value: XmlObject): string {
  return `<?xml version="1.0" encoding="utf-8"?>${write(root, value)}`;
}
