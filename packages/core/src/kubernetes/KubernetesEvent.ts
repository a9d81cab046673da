// The event kinds the Kubernetes side owns. Their numbers place them among the other rooms' kinds at a
// tie (events of one instant run by kind): a node joins before its managers' events of that instant run,
// and the scheduler's pass after them.
export enum KubernetesEvent {
  NODE_JOIN = 3,
  NODE_LEAVE = 4,
  /** The amazon-vpc-cni ConfigMap changes (the index of the change). */
  CONFIGMAP = 8,
  SCHEDULE = 10,
}
