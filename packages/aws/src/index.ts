// @ipamsim/aws: the AWS SDK at the simulator's edge. SdkEc2 serves a real EC2Client from a simulated
// account; readAccount reads a real account (read-only) for `ipamsim import`, whose command and scenario
// writing live in the CLI (this package does not depend on it).

export { explainAwsError, IMPORT_IAM_ACTIONS, ImportError } from "./AwsErrors.ts"
export { addressesToCidrs } from "./Cidrs.ts"
export { EC2_ERROR_MESSAGES, ec2Error, goSdkV1ErrorString, goSdkV2ErrorString } from "./Ec2Errors.ts"
export { type AccountSnapshot, type ImportSelection, readAccount } from "./Import.ts"
export { fetchInstanceLimits, instanceLimitsField, vpcLimitsFromInstanceType } from "./InstanceTypeLimits.ts"
export { createReadOnlyEc2Client, READ_ONLY_COMMANDS } from "./ReadOnlyEc2Client.ts"
export { SIMULATED_COMMANDS, serveFromSimAccount, simulatedEc2Client } from "./SdkEc2.ts"
export { SimAccount } from "./SimAccount.ts"
