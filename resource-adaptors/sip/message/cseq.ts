import { isToken, parseBoundedInt, trimWsp } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

/** RFC 3261 §8.1.1.5: the sequence number is a 32-bit unsigned integer. */
const MAX_CSEQ = 0xffffffff;

export class CSeq {
  seq: number;
  method: string;

  constructor(seq: number, method: string) {
    this.seq = seq;
    this.method = method;
  }

  static parse(text: string): CSeq {
    const trimmed = trimWsp(text);
    const match = /^([0-9]+)[ \t]+(\S+)$/.exec(trimmed);
    const seq = match === null ? undefined : parseBoundedInt(match[1], MAX_CSEQ);
    if (match === null || seq === undefined || !isToken(match[2])) throw sipSyntaxError('CSeq header', text);
    return new CSeq(seq, match[2]);
  }

  clone(): CSeq {
    return new CSeq(this.seq, this.method);
  }

  toString(): string {
    return `${this.seq} ${this.method}`;
  }
}
