// Bytes to text as the daemons and the editor read them: UTF-8, with a byte order mark dropped; UTF-16 (little or
// big endian) when it starts with its byte order mark (Windows editors save such files), decoded rather than
// called binary. Used by every front end that reads files from disk, so that the CLI and the editor lint the same
// text and agree on every position.

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** Whether the bytes started with a byte order mark (not part of `text`). */
  bom: boolean;
}

/** Decodes a file's bytes; invalid sequences become U+FFFD, as in the editor. Never throws. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeUtf16(bytes.subarray(2), true), encoding: 'utf-16le', bom: true };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeUtf16(bytes.subarray(2), false), encoding: 'utf-16be', bom: true };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes), encoding: 'utf-8', bom };
}

/** The bytes of `text` in the encoding a file was read in (for writing a fixed file back). */
export function encodeText(text: string, like: Pick<DecodedText, 'encoding' | 'bom'>): Uint8Array {
  if (like.encoding === 'utf-8') {
    const body = new TextEncoder().encode(text);
    if (!like.bom) return body;
    const out = new Uint8Array(body.length + 3);
    out.set([0xef, 0xbb, 0xbf]);
    out.set(body, 3);
    return out;
  }
  const little = like.encoding === 'utf-16le';
  const offset = like.bom ? 2 : 0;
  const out = new Uint8Array(offset + text.length * 2);
  if (like.bom) out.set(little ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[offset + 2 * i] = little ? unit & 0xff : unit >> 8;
    out[offset + 2 * i + 1] = little ? unit >> 8 : unit & 0xff;
  }
  return out;
}

/**
 * UTF-16 code units to a string, without relying on a 'utf-16be' TextDecoder (not every runtime has one). A
 * trailing odd byte (a file cut short) becomes U+FFFD; unpaired surrogates are kept, as JavaScript strings allow.
 */
function decodeUtf16(bytes: Uint8Array, little: boolean): string {
  const units = Math.floor(bytes.length / 2);
  const chunks: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < units; start += CHUNK) {
    const end = Math.min(units, start + CHUNK);
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; i++) codes[i - start] = little ? bytes[2 * i]! | (bytes[2 * i + 1]! << 8) : (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
    chunks.push(String.fromCharCode(...codes));
  }
  if (bytes.length % 2 === 1) chunks.push('\ufffd');
  return chunks.join('');
}
