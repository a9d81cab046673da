// Seeded random numbers. One independent stream per concern (EC2 latency, pod picks, generators, ...)
// so that a feature that draws more numbers never shifts the draws of another.

/** FNV-1a over the text, then mixed with the seed: a 32-bit seed for a named stream. */
const streamSeed = (seed: number, name: string): number => {
  let h = 0x811c9dc5 ^ (seed >>> 0)
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= Math.floor(seed / 4294967296) >>> 0
  return Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0
}

/** The k-th output of splitmix32 started at s. */
const splitmix = (s: number, k: number): number => {
  let z = (s + Math.imul(0x9e3779b9, k)) >>> 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/** sfc32: small, fast, passes PractRand to large sizes; state is four 32-bit words. */
export class Rng {
  // Declared with a number, not left undefined until the constructor: a field that starts undefined is
  // stored as a pointer, and every uint32 past the small-integer range then took a fresh heap number (an
  // allocation per draw); a field that starts as a number holds doubles in place.
  private a = 0
  private b = 0
  private c = 0
  private d = 0

  constructor(seed: number) {
    this.reseed(seed)
  }

  /** Restarts the stream from `seed`, as a new Rng(seed) would, without allocating one. */
  reseed(seed: number): void {
    // splitmix32 spreads one seed over the four words.
    const s = seed >>> 0
    this.a = splitmix(s, 1)
    this.b = splitmix(s, 2)
    this.c = splitmix(s, 3)
    this.d = splitmix(s, 4)
    for (let i = 0; i < 12; i++) this.nextU32()
  }

  /** An independent stream for one concern, derived from the run's seed and the concern's name. */
  static stream(seed: number, name: string): Rng {
    return new Rng(streamSeed(seed, name))
  }

  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) >>> 0
    return t
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n); n must be ≥ 1. */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }
}
