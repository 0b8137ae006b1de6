/**
 * An event that always arrives on one kind of activity says so with this
 * phantom field (never set, only carries the type), so a handler's
 * `aci.activity` is typed from its event: `ActivityContextInterface<SipRequestEvent>`.
 */
export interface ActivityEvent<A extends object> {
  readonly __activity?: A;
}

/** The activity type an event type declares, `object` when it declares none. */
export type ActivityOf<E> = E extends { readonly __activity?: infer A } ? (unknown extends A ? object : A & object) : object;
