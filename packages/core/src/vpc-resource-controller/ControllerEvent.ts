// The event kinds the controller owns, and its timing constants (research/vpc-resource-controller.md §4.1).
// Kind numbers place its events among the other rooms' at a tie (events of one instant run by kind): a
// pod's requeue runs right after the trace's event of its instant, before nodes join.

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).
export enum ControllerEvent {
  /** A pod's reconcile, requeued (a: pod slot, b: its generation). */
  POD = 2,
  /** A node's Init job answered (a: node, b: 1 when every call succeeded). */
  NODE_INIT = 5,
  /** The next stage of a worker's job (a: job id). */
  JOB_STEP = 6,
  /** A provider's 30 s ProcessDeleteQueue loop (a: provider key, b: its token). */
  LOOP = 7,
  /** A node whose Init failed is seen again, at its kubelet's next status report (a: node). */
  NODE_RETRY_INIT = 11,
}

export enum Controller {
  LOOP_MS = 30_000,
  REQUEUE_WARM_POOL_EMPTY_MS = 600,
  REQUEUE_COOLING_MS = 20_000,
  REQUEUE_NO_PREFIX_MS = 120_000,
  /** PodRequeueRequest: a pod whose node is not in the node manager or not ready (pod_controller.go ~59, ~110–127). */
  REQUEUE_NODE_NOT_READY_MS = 1_000,
  /**
   * kubelet's nodeStatusReportFrequency (5 min, its default): the Node update that, at the latest, brings a
   * node whose Init failed back to the node manager (manager.go ~446: "retried for init on next event").
   */
  NODE_STATUS_REPORT_MS = 300_000,
  ATTACH_WAIT_ATTEMPTS = 7,
  ATTACH_WAIT_FIRST_SLEEP_MS = 250,
}
