// Every policy of the pack, in the order the README lists them.
import { Policies } from "@pulumi/policy";
import { apiMethodsRequireAuthorization } from "./api-methods-require-authorization";
import { athenaWorkgroupLimitsBytesScanned } from "./athena-workgroup-limits-bytes-scanned";
import { bedrockModelsApproved } from "./bedrock-models-approved";
import { fleetInstanceCountWithinCap } from "./fleet-instance-count-within-cap";
import { fleetInstanceTypeWithinSizeLimit } from "./fleet-instance-type-within-size-limit";
import { fleetScalesInToBaseline } from "./fleet-scales-in-to-baseline";
import { iamNoWildcardModelAccess } from "./iam-no-wildcard-model-access";
import { lambdaEnvironmentHasNoPlaintextSecrets } from "./lambda-environment-has-no-plaintext-secrets";
import { logGroupsHaveRetention } from "./log-groups-have-retention";
import { promptsNotLogged } from "./prompts-not-logged";
import { routerRoutesCapTokens } from "./router-routes-cap-tokens";
import { s3BucketsEncryptedAndPrivate } from "./s3-buckets-encrypted-and-private";
import { stackHasBudgetAndSpendAlarms } from "./stack-has-budget-and-spend-alarms";

export const policies: Policies = [
  fleetInstanceTypeWithinSizeLimit,
  fleetInstanceCountWithinCap,
  fleetScalesInToBaseline,
  bedrockModelsApproved,
  routerRoutesCapTokens,
  stackHasBudgetAndSpendAlarms,
  athenaWorkgroupLimitsBytesScanned,
  logGroupsHaveRetention,
  s3BucketsEncryptedAndPrivate,
  apiMethodsRequireAuthorization,
  iamNoWildcardModelAccess,
  lambdaEnvironmentHasNoPlaintextSecrets,
  promptsNotLogged,
];
