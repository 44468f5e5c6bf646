// Security: a Lambda environment is readable by anyone with lambda:GetFunctionConfiguration and is stored in the
// Pulumi state in clear; secrets belong in Secrets Manager or SSM, passed by ARN or name.
import * as lambda from "@pulumi/aws/lambda";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";

interface Limits { allowedNameSuffixes: string[] }

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedNameSuffixes: { type: "array", items: { type: "string" }, default: ["_ARN", "_NAME", "_ID", "_PARAM", "_PARAMETER"], description: "Variable name endings that hold a reference to a secret, not the secret." },
  },
};

// Name segments that say "this is a secret" (TOKEN, not TOKENS: MAX_TOKENS is a limit).
const secretSegments = new Set(["SECRET", "PASSWORD", "PASSWD", "TOKEN", "APIKEY", "CREDENTIALS", "CREDENTIAL"]);
const secretName = (name: string) => {
  const segments = name.toUpperCase().split(/[^A-Z0-9]+/);
  return segments.some((s, i) => secretSegments.has(s) || (s === "KEY" && ["API", "PRIVATE", "ACCESS", "SECRET"].includes(segments[i - 1] ?? "")));
};
// Values that are secrets whatever they are called.
const secretValues: [RegExp, string][] = [
  [/\bA(KIA|SIA)[0-9A-Z]{16}\b/, "an AWS access key ID"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\bsk-[A-Za-z0-9_-]{20,}/, "an API secret key (sk-...)"],
  [/"(clientSecret|client_secret|password|apiKey|api_key)"\s*:\s*"[^"]+"/, "a JSON secret field"],
];

export const lambdaEnvironmentHasNoPlaintextSecrets: ResourceValidationPolicy = {
  name: "lambda-environment-has-no-plaintext-secrets",
  description: "Lambda environment variables may not hold secrets in clear (names like *_SECRET, *_PASSWORD, *_TOKEN, *_API_KEY with a literal value, or values that look like keys). Fix: keep the secret in Secrets Manager or SSM Parameter Store and pass its ARN or name (e.g. DB_PASSWORD_ARN).",
  configSchema,
  validateResource: validateResourceOfType(lambda.Function, (fn, args, report) => {
    const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
    const variables = (fn.environment?.variables ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(variables)) {
      const value = variables[name];
      if (typeof value !== "string" || value === "") continue;
      if (secretName(name) && !limits.allowedNameSuffixes.some((s) => name.toUpperCase().endsWith(s))) {
        report(`Lambda ${fn.name ?? args.name} environment variable ${name} looks like a secret held in clear. Store it in Secrets Manager or SSM and pass ${name}_ARN instead.`);
        continue;
      }
      const hit = secretValues.find(([pattern]) => pattern.test(value));
      if (hit) report(`Lambda ${fn.name ?? args.name} environment variable ${name} contains ${hit[1]} in clear. Store it in Secrets Manager or SSM and pass its ARN instead.`);
    }
  }),
};
