import { isToken, isWsp, parseBoundedInt, trimWsp } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

/** RFC 3261 §8.1.1.5: the sequence number is a 32-bit unsigned integer. */
const MAX_CSEQ = 0xffffffff;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export class CSeq {
  seq: number;
  method: string;

  constructor(seq: number, method: string) {
    this.seq = seq;
    this.method = method;
  }

  /** CSeq = 1*DIGIT LWS Method, surrounding SP/HT ignored. */
  static parse(text: string): CSeq {
    const trimmed = trimWsp(text);
    let digitsEnd = 0;
    while (digitsEnd < trimmed.length && isDigit(trimmed.charCodeAt(digitsEnd))) digitsEnd++;
    let methodStart = digitsEnd;
    while (methodStart < trimmed.length && isWsp(trimmed.charCodeAt(methodStart))) methodStart++;
    const seq = digitsEnd === 0 ? undefined : parseBoundedInt(trimmed.slice(0, digitsEnd), MAX_CSEQ);
    const method = trimmed.slice(methodStart);
    if (seq === undefined || methodStart === digitsEnd || !isToken(method)) throw sipSyntaxError('CSeq header', text);
    return new CSeq(seq, method);
  }

  clone(): CSeq {
    return new CSeq(this.seq, this.method);
  }

  toString(): string {
    return `${this.seq} ${this.method}`;
  }
}
