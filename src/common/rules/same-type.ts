// Compile-time ties between a hand-written type of rules/ and the output of a zod schema of
// contracts/ (or of the server), so the two cannot drift: `type _Tied = Assert<SameType<A, B>>`
// stops compiling ("'false' does not satisfy the constraint 'true'") as soon as they differ. Types
// only, no runtime code.

/**
 * `true` when A and B are the same type (the compiler's identity check: a field missing, added,
 * optional or of another type on either side makes it `false`), else `false`.
 */
export type SameType<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when T is `true`; see {@link SameType}. */
export type Assert<T extends true> = T;
