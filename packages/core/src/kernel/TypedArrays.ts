// Growing a typed array: the kernel's state lives in typed arrays that double when they fill up.

type Growable = Int32Array | Float64Array

/** A copy of `a` with room for `length` elements; the new tail holds `fill`. */
export const grown = <T extends Growable>(a: T, length: number, fill = 0): T => {
  const b = new (a.constructor as new (length: number) => T)(length)
  if (fill !== 0) b.fill(fill, a.length)
  b.set(a as ArrayLike<number>)
  return b
}
