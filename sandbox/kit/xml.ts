/**
 * The simulators' own XML: enough to read and write the `<request>`/`<response>` documents the
 * Qimen gateway carries (nested elements with text, lists as repeated elements). Written apart from
 * the adapter's codec, token by token with one regular expression, so a document one side writes
 * wrongly is refused or misread by the other instead of agreeing with itself.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** Text directly inside the element, entities decoded, CDATA kept as written. */
  text: string;
}

/** What to write: text, a nested element, or `{ item, values }` for a list of repeated elements. */
export type XmlValue = string | number | XmlObject | { item: string; values: XmlObject[] } | null | undefined;
export interface XmlObject {
  [name: string]: XmlValue;
}

const TOKEN =
  /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!|<\/\s*([\w.:-]+)\s*>|<([\w.:-]+)(?:\s[^<>]*?)?(\/?)>|([^<]+)|</g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(
    /&(?:#(\d+)|#x([\da-fA-F]+)|(\w+));/g,
    (whole, dec?: string, hex?: string, name?: string) => {
      if (dec) return String.fromCodePoint(Number(dec));
      if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
      const char = ENTITIES[name ?? ''];
      if (char === undefined) throw new Error(`XML: unknown entity ${whole}`);
      return char;
    },
  );
}

/** The root element of a document; anything malformed throws. */
export function parseXml(document: string): XmlElement {
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (const [token, cdata, closing, opening, selfClosed, text] of document.matchAll(TOKEN)) {
    const parent = open[open.length - 1];
    if (cdata !== undefined || text !== undefined) {
      if (parent) parent.text += cdata ?? unescape(text!);
      else if ((text ?? cdata)!.trim() !== '') throw new Error('XML: text outside the root element');
    } else if (closing !== undefined) {
      if (parent?.name !== closing) throw new Error(`XML: </${closing}> closes nothing open`);
      open.pop();
    } else if (opening !== undefined) {
      const element: XmlElement = { name: opening, children: [], text: '' };
      if (parent) parent.children.push(element);
      else if (root) throw new Error('XML: more than one root element');
      else root = element;
      if (!selfClosed) open.push(element);
    } else if (token === '<' || token === '<!') {
      throw new Error('XML: a tag that is not one, or a document type declaration');
    }
  }
  if (open.length > 0) throw new Error(`XML: <${open[open.length - 1]!.name}> is not closed`);
  if (!root) throw new Error('XML: empty document');
  return root;
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childrenOf(element: XmlElement | undefined, name: string): XmlElement[] {
  return (element?.children ?? []).filter((c) => c.name === name);
}

/** A child's text without surrounding blanks; undefined when the child is missing or blank. */
export function textOf(element: XmlElement | undefined, name: string): string | undefined {
  return child(element, name)?.text.trim() || undefined;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function element(name: string, value: XmlValue): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object') return [`<${name}>`, escape(`${value}`), `</${name}>`];
  const inner =
    'item' in value && Array.isArray(value.values)
      ? value.values.flatMap((v) => element(value.item as string, v))
      : Object.keys(value).flatMap((key) => element(key, (value as XmlObject)[key]));
  return [`<${name}>`, ...inner, `</${name}>`];
}

/** A whole document with its declaration; null and undefined fields are left out. */
export function toXml(root: string, value: XmlObject): string {
  return ['<?xml version="1.0" encoding="utf-8"?>', ...element(root, value)].join('');
}
