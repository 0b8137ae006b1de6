import { findHeaderParam, formatParams, receivedParamMap, receivedParams } from './header-params.js';

/**
 * A header value with generic parameters (Via, name-addr). Parameters
 * received in printed form stay text until `params` is read: most readers
 * want one value (a branch, a tag), and a forwarded header prints them as
 * they came. A base class rather than a held object, so that a header costs
 * no extra allocation for it.
 */
export abstract class HeaderParamHolder {
  private paramText: string | undefined;
  private paramMap: Map<string, string | null> | undefined;
  /** The last name looked up in `paramText` and what it found: readers ask for one again and again (a branch, a tag). */
  private foundName: string | undefined = undefined;
  private foundValue: string | null | undefined = undefined;

  get params(): Map<string, string | null> {
    if (this.paramMap === undefined) {
      this.paramMap = receivedParamMap(this.paramText);
      this.paramText = undefined;
    }
    return this.paramMap;
  }

  set params(params: Map<string, string | null>) {
    this.paramMap = params;
    this.paramText = undefined;
  }

  /** A parameter's value, null when it has none, undefined when absent. */
  param(name: string): string | null | undefined {
    if (this.paramMap !== undefined) return this.paramMap.get(name);
    if (this.paramText === undefined) return undefined;
    if (name !== this.foundName) {
      this.foundValue = findHeaderParam(this.paramText, name);
      this.foundName = name;
    }
    return this.foundValue;
  }

  /** `;name=value…` as printed. */
  protected printParams(): string {
    return this.paramMap === undefined ? (this.paramText ?? '') : formatParams(this.paramMap);
  }

  /** Reads the parameters from `pos` to the end of `text`, throwing SIP_PARSE naming `what` as parseHeaderParams does. */
  protected readParams(text: string, pos: number, what: string): void {
    const params = receivedParams(text, pos, what);
    this.foundName = undefined;
    if (typeof params === 'string') this.paramText = params;
    else this.paramMap = params;
  }

  /** Gives `copy` these parameters: the same text, or a map of its own. */
  protected copyParamsTo(copy: HeaderParamHolder): void {
    copy.paramText = this.paramText;
    copy.foundName = this.foundName;
    copy.foundValue = this.foundValue;
    copy.paramMap = this.paramMap === undefined ? undefined : new Map(this.paramMap);
  }
}
