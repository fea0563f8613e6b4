/**
 * A small, safe XML tree for OFD parts, built on the saxes streaming parser. OFD never needs a DTD, so any DOCTYPE
 * (the carrier of XXE and billion-laughs attacks) is refused outright, only the five predefined entities and
 * character references are decoded, and size, depth and node count are bounded. Elements are matched by local name
 * so both the 2016 namespace and the legacy `http://www.ofdspec.org` one (and unprefixed files) are read alike.
 */
import { SaxesParser } from 'saxes';
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { DEFAULT_LIMITS, type OfdLimits } from './limits.js';

export interface XmlElement {
  /** Qualified name as written (e.g. `ofd:Page`). */
  qname: string;
  /** Local name without prefix (e.g. `Page`). */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

export type XmlLimits = Pick<OfdLimits, 'maxXmlBytes' | 'maxXmlDepth' | 'maxXmlNodes'>;

function localName(q: string): string {
  const i = q.indexOf(':');
  return i < 0 ? q : q.slice(i + 1);
}

/** Decodes XML bytes honouring a BOM and the encoding declared in the XML declaration (UTF-8 by default). */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return new TextDecoder('utf-16').decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const m = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']/.exec(head);
  const label = m?.[1]?.toLowerCase();
  if (label && label !== 'utf-8' && label !== 'utf8') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      throw new YzError(ErrorCode.OFD_XML_MALFORMED, `unsupported XML encoding ${label}`);
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

export function parseXml(input: Uint8Array | string, what = 'XML', limits: XmlLimits = DEFAULT_LIMITS): XmlElement {
  const size = typeof input === 'string' ? input.length : input.length;
  if (size > limits.maxXmlBytes) {
    throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${what} is ${size} bytes (limit ${limits.maxXmlBytes})`, { part: what, size });
  }
  const text = typeof input === 'string' ? input : decodeXml(input);
  // Refuse a DTD before the parser buffers it: entity declarations only ever serve attacks in OFD.
  const firstTag = text.search(/<[^?!]/);
  const prolog = firstTag < 0 ? text : text.slice(0, firstTag);
  if (/<!DOCTYPE|<!ENTITY/i.test(prolog)) {
    throw new YzError(ErrorCode.OFD_XML_FORBIDDEN, `${what} contains a DOCTYPE / entity declaration`, { part: what });
  }
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let nodes = 0;
  const fail = (code: string, msg: string): never => {
    throw new YzError(code, `${what}: ${msg}`, { part: what });
  };
  parser.on('doctype', () => fail(ErrorCode.OFD_XML_FORBIDDEN, 'DOCTYPE is not allowed'));
  parser.on('error', (e) => fail(ErrorCode.OFD_XML_MALFORMED, e.message));
  parser.on('opentag', (tag) => {
    if (++nodes > limits.maxXmlNodes) fail(ErrorCode.LIMIT_EXCEEDED, `more than ${limits.maxXmlNodes} elements`);
    if (stack.length >= limits.maxXmlDepth) fail(ErrorCode.LIMIT_EXCEEDED, `nested deeper than ${limits.maxXmlDepth}`);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes as Record<string, string>)) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      attrs[localName(k)] = v;
    }
    const el: XmlElement = { qname: tag.name, name: localName(tag.name), attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) fail(ErrorCode.OFD_XML_MALFORMED, 'more than one root element');
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof YzError) throw e;
    fail(ErrorCode.OFD_XML_MALFORMED, (e as Error).message);
  }
  if (!root) return fail(ErrorCode.OFD_XML_MALFORMED, 'no root element');
  return root;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}

/** Depth-first walk over all descendants (iterative, so deep files cannot overflow the stack). */
export function* descendants(el: XmlElement): Generator<XmlElement> {
  const todo: XmlElement[] = [...el.children].reverse();
  while (todo.length) {
    const e = todo.pop()!;
    yield e;
    for (let i = e.children.length - 1; i >= 0; i--) todo.push(e.children[i]!);
  }
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
