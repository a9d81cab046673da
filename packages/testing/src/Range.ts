// A number or an inclusive range of numbers: how every arbitrary here takes its knobs.

import fc from "fast-check"

export type Range = number | { readonly min: number; readonly max: number }

/** Whole numbers in the range (a fixed number stays fixed); shrinks toward `min`. */
export const integerIn = (r: Range): fc.Arbitrary<number> =>
  typeof r === "number" ? fc.constant(r) : fc.integer({ min: r.min, max: r.max })

export const maxOf = (r: Range): number => (typeof r === "number" ? r : r.max)
