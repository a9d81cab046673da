// The clock and the run loop: the current time in integer ms, the future-event list, the next input (the
// trace's next pod event, kept outside the list), and the dispatch of each event to the room that owns its
// kind. The kernel knows no Kubernetes, controller or EC2 concept: rooms register the kinds they own.

import { EVENT_KINDS, EventQueue } from "./EventQueue.ts"

/** A room that owns some event kinds: the kernel hands it each of its events as it comes due. */
export interface EventHandler {
  onEvent(kind: number, a: number, b: number): void
}

/** The external input (a trace): its next item runs at `Simulation.inputAt`, before list events at a tie. */
export interface InputHandler {
  onInput(): void
}

/** The input's kind: the lowest, so the pending input runs first among events of its instant. */
export enum InputKind {
  INPUT = 1,
}

export class Simulation {
  readonly events = new EventQueue(4096)
  now = 0
  /** Events run so far (the input's items included). */
  eventCount = 0
  /** No event after this time runs; the run ends with `now` at it (unless +Infinity). */
  stopAt = Number.POSITIVE_INFINITY
  /** Time of the pending input item, +Infinity when the input is done. */
  inputAt = Number.POSITIVE_INFINITY
  /** Called after every event when set (the model's invariants, in tests). */
  afterEvent: (() => void) | undefined = undefined
  private input: InputHandler | undefined = undefined
  /** The owner of each event kind (kinds are below the event list's bound). */
  private readonly owners: Array<EventHandler | undefined> = new Array(EVENT_KINDS).fill(undefined)

  /** Makes `handler` the owner of `kinds`; a kind has one owner. */
  register(kinds: readonly number[], handler: EventHandler): void {
    for (const k of kinds) {
      if (!(Number.isInteger(k) && k > InputKind.INPUT && k < this.owners.length))
        throw new Error(`event kind ${k}: expected a whole number from 2 to ${this.owners.length - 1}`)
      if (this.owners[k] !== undefined) throw new Error(`event kind ${k} already has an owner`)
      this.owners[k] = handler
    }
  }

  setInput(input: InputHandler): void {
    this.input = input
  }

  /** Time of the next event (the pending input's or the event list's first), or +Infinity. */
  nextEventTime(): number {
    const t = this.events.peekTime()
    return this.inputAt < t ? this.inputAt : t
  }

  /** Runs one event; false when the simulation is over. */
  step(): boolean {
    const q = this.events
    const listAt = q.peekTime()
    const inputFirst = this.inputAt <= listAt
    const t = inputFirst ? this.inputAt : listAt
    if (t > this.stopAt || t === Number.POSITIVE_INFINITY) {
      if (this.stopAt !== Number.POSITIVE_INFINITY) this.now = this.stopAt
      return false
    }
    this.eventCount++
    if (inputFirst) {
      q.markCurrent(t, InputKind.INPUT, 0, 0)
      this.now = t
      this.input!.onInput()
    } else {
      q.pop()
      this.now = q.at
      const kind = q.eventKind
      this.owners[kind]!.onEvent(kind, q.a, q.b)
    }
    if (this.afterEvent !== undefined) this.afterEvent()
    return true
  }

  /** Runs events up to and including time t (then stops; call again to go on). */
  runUntil(t: number): void {
    while (this.nextEventTime() <= t && this.step()) {}
    if (this.now < t) this.now = t
  }
}
