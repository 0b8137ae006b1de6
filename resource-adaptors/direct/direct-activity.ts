/** An activity of the direct resource adaptor: just a handle that application code owns. */
export interface DirectActivity {
  readonly handle: string;
}
