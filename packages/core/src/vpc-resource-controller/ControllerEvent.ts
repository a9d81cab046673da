// The event kinds the controller owns, and its timing constants (research/vpc-resource-controller.md §4.1).
// Kind numbers place its events among the other rooms' at a tie (events of one instant run by kind): a
// pod's requeue runs right after the trace's event of its instant, before nodes join.

// Enums rather than consts: a bundle writes their values into the code (docs/performance.md).
export enum ControllerEvent {
  /** A pod's reconcile, requeued (a: pod slot, b: its generation). */
  POD = 2,
  /**
   * The next step of a node manager's job (NodeWorkers): a: its job id; b: an Init call's answer (an
   * Ec2Code) or NodeJobStep.PATCHED.
   */
  NODE_JOB = 5,
  /** The next stage of a worker's job (a: job id). */
  JOB_STEP = 6,
  /** A provider's 30 s ProcessDeleteQueue loop (a: provider key, b: its token). */
  LOOP = 7,
  /** A Node event at the node reconciler (NodeStatusReports): a: the node, or -1 for the informer's resync; b: NodeEventKind. */
  NODE_EVENT = 11,
}

/** What a NODE_EVENT is. */
export enum NodeEventKind {
  /** The node's kubelet reports its status (a Node update). */
  REPORT = 0,
  /** Its first AddNode's CNINode create got through the client's bucket. */
  CNINODE_CREATED = 1,
  /** The Node informer's resync: an update of every node. */
  RESYNC = 2,
}

/** What a NODE_JOB event's b is when it is not an EC2 answer. */
export enum NodeJobStep {
  /** The Node status PATCH that advertises the capacity got through the client's bucket. */
  PATCHED = 64,
}

export enum Controller {
  LOOP_MS = 30_000,
  REQUEUE_WARM_POOL_EMPTY_MS = 600,
  REQUEUE_COOLING_MS = 20_000,
  REQUEUE_NO_PREFIX_MS = 120_000,
  /** PodRequeueRequest: a pod whose node is not in the node manager or not ready (pod_controller.go ~59, ~110–127). */
  REQUEUE_NODE_NOT_READY_MS = 1_000,
  /**
   * kubelet's nodeStatusReportFrequency (5 min, its default): a node's kubelet PATCHes its status at least
   * this often, a Node update for the node reconciler (node_controller.go ~67–114).
   */
  NODE_STATUS_REPORT_MS = 300_000,
  /**
   * The manager's cache SyncPeriod (main.go ~73, ~274): every informer resyncs, an update of every object;
   * controller-runtime draws each informer's period from [0.9, 1.1) of it.
   */
  CACHE_SYNC_PERIOD_MS = 1_800_000,
  ATTACH_WAIT_ATTEMPTS = 7,
  ATTACH_WAIT_FIRST_SLEEP_MS = 250,
}

/**
 * The API server client's limit (--apiserver-qps 20, --apiserver-burst 30, main.go ~168–169, 229–231):
 * controller-runtime's client keeps one bucket per resource type (a REST client per GroupVersionKind), so
 * pods' annotations, Nodes' status PATCHes and CNINodes' creates each have one to themselves.
 */
export enum ApiServerClient {
  QPS = 20,
  BURST = 30,
}
