import { describe, expect, it } from "vitest"
import { grown } from "./TypedArrays.ts"

describe("grown", () => {
  it("keeps the elements and kind of the array, and fills the new tail", () => {
    const a = Int32Array.from([3, -1, 7])
    const b = grown(a, 6, -1)
    expect(b).toBeInstanceOf(Int32Array)
    expect([...b]).toEqual([3, -1, 7, -1, -1, -1])
    const f = grown(Float64Array.from([0.5, 2 ** 40]), 4)
    expect(f).toBeInstanceOf(Float64Array)
    expect([...f]).toEqual([0.5, 2 ** 40, 0, 0])
    // The original is left as it was.
    expect([...a]).toEqual([3, -1, 7])
  })
})
