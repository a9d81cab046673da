// Documented defaults for the parts of a simulation a scenario may leave out (docs/scenarios.md).

import type { Ec2CallsSpec } from "../ec2/Ec2Calls.ts"
import { DEFAULT_LATENCIES } from "../ec2/Latency.ts"
import { ControllerClientLimiter, Ec2Throttling } from "../ec2/TokenBucket.ts"

export const defaultEc2CallsSpec = (): Ec2CallsSpec => ({
  latency: {
    AssignPrivateIpAddresses: DEFAULT_LATENCIES.AssignPrivateIpAddresses,
    UnassignPrivateIpAddresses: DEFAULT_LATENCIES.UnassignPrivateIpAddresses,
    DescribeNetworkInterfaces: DEFAULT_LATENCIES.DescribeNetworkInterfaces,
    DescribeInstances: DEFAULT_LATENCIES.DescribeInstances,
    // Same order of cost as a filtered DescribeInstances (guess).
    DescribeSubnets: DEFAULT_LATENCIES.DescribeInstances,
    CreateNetworkInterface: DEFAULT_LATENCIES.CreateNetworkInterface,
    AttachNetworkInterface: DEFAULT_LATENCIES.AttachNetworkInterface,
    ModifyNetworkInterfaceAttribute: DEFAULT_LATENCIES.ModifyNetworkInterfaceAttribute,
    DetachNetworkInterface: DEFAULT_LATENCIES.DetachNetworkInterface,
    DeleteNetworkInterface: DEFAULT_LATENCIES.DeleteNetworkInterface,
  },
  clientLimiter: ControllerClientLimiter,
  accountBuckets: {
    AssignPrivateIpAddresses: Ec2Throttling.AssignPrivateIpAddresses,
    UnassignPrivateIpAddresses: Ec2Throttling.UnassignPrivateIpAddresses,
    DescribeNetworkInterfaces: Ec2Throttling.DescribeNetworkInterfaces,
    DescribeInstances: Ec2Throttling.DescribeInstances,
    DescribeSubnets: Ec2Throttling.DescribeSubnets,
    CreateNetworkInterface: Ec2Throttling.CreateNetworkInterface,
    AttachNetworkInterface: Ec2Throttling.AttachNetworkInterface,
    ModifyNetworkInterfaceAttribute: Ec2Throttling.ModifyNetworkInterfaceAttribute,
    DetachNetworkInterface: Ec2Throttling.DetachNetworkInterface,
    DeleteNetworkInterface: Ec2Throttling.DeleteNetworkInterface,
  },
  // aws-sdk-go-v2 standard retryer.
  maxAttempts: 3,
  faults: [],
  // HTTP timeout on the controller's SDK clients since fa04894.
  httpTimeoutMs: 30_000,
})

export const DEFAULT_VISIBILITY = DEFAULT_LATENCIES.AssignVisibility
/** After the trace ends, run this long so cool-downs, loops and jobs settle. */
export const DEFAULT_DRAIN_MS = 120_000
/** kubelet's default --max-pods. */
export const DEFAULT_MAX_PODS = 110
