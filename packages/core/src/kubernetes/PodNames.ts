// Pod ids by name, for traces whose events carry no podId (SimSpec's PodEvent.podId rules): a live pod's
// name maps to a small integer; a delete frees it for reuse. Sources that read bytes assign the same ids
// without strings (the CLI's PodIdTable); either way the kernel indexes its pod arrays by id.

export class PodNames {
  private readonly ids = new Map<string, number>()
  private readonly freeIds: number[] = []
  private nextId = 0

  /** The id of the live pod with this name, or a new one. */
  create(name: string): number {
    let id = this.ids.get(name)
    if (id !== undefined) return id
    id = this.freeIds.pop() ?? this.nextId++
    this.ids.set(name, id)
    return id
  }

  /** Frees the live pod's id and returns it, or -1 when no pod of that name is live. */
  remove(name: string): number {
    const id = this.ids.get(name)
    if (id === undefined) return -1
    this.ids.delete(name)
    this.freeIds.push(id)
    return id
  }

  /** The live pod's id, or -1. */
  get(name: string): number {
    return this.ids.get(name) ?? -1
  }
}
