// The event kinds ipamd owns on Linux nodes (the kernel hands them to IpamdController).

/** Kinds 13–15: after the Windows controller's and EC2's at a tie (EventQueue runs a tie by kind). */
export enum IpamdEvent {
  /** A node's pool manager wakes for updateIPPoolIfRequired (a = node). */
  TICK = 13,
  /** An answer to one of a node's EC2 calls, or the end of a wait inside its blocking EC2 work (a = node, b = code). */
  CALL = 14,
  /** kubelet retries the sandbox of a pod whose CNI ADD found no address (a = pod slot, b = its generation). */
  CNI_RETRY = 15,
}
