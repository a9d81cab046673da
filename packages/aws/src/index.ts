// @ipamsim/aws: the AWS SDK at the simulator's edge. SdkEc2 serves a real EC2Client from a simulated
// account; `ipamsim import` reads a real account (read-only) into a scenario.

export { explainAwsError, IMPORT_IAM_ACTIONS } from "./AwsErrors.ts"
export { addressesToCidrs } from "./Cidrs.ts"
export { EC2_ERROR_MESSAGES, ec2Error, goSdkV1ErrorString, goSdkV2ErrorString } from "./Ec2Errors.ts"
export { type AccountSnapshot, type ImportOptions, importScenario, readAccount } from "./Import.ts"
export { type ImportCommandOptions, importCommand, runImport } from "./ImportCommand.ts"
export { type ImportedScenario, scenarioFromSnapshot } from "./ImportedScenario.ts"
export { fetchInstanceLimits, instanceLimitsField, vpcLimitsFromInstanceType } from "./InstanceTypeLimits.ts"
export { createReadOnlyEc2Client, READ_ONLY_COMMANDS } from "./ReadOnlyEc2Client.ts"
export { SIMULATED_COMMANDS, serveFromSimAccount, simulatedEc2Client } from "./SdkEc2.ts"
export { SimAccount } from "./SimAccount.ts"
