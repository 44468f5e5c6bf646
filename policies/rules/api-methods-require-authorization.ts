// Security: an API method anyone can call is spend anyone can run up.
import * as apigateway from "@pulumi/aws/apigateway";
import * as apigatewayv2 from "@pulumi/aws/apigatewayv2";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { limitsOf } from "../lib/config";

interface Limits { allowUnauthenticatedOptions: boolean }

const configSchema: PolicyConfigSchema = {
  properties: {
    allowUnauthenticatedOptions: { type: "boolean", default: true, description: "Allow OPTIONS (CORS preflight) methods without authorization." },
  },
};

export const apiMethodsRequireAuthorization: ResourceValidationPolicy = {
  name: "api-methods-require-authorization",
  description: "API Gateway methods (REST) and routes (HTTP/WebSocket) must require authorization (not NONE). Fix: set authorization to COGNITO_USER_POOLS (as the gateway component does) or AWS_IAM / CUSTOM with an authorizer.",
  configSchema,
  validateResource: [
    validateResourceOfType(apigateway.Method, (method, args, report) => {
      const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
      if (method.httpMethod === "OPTIONS" && limits.allowUnauthenticatedOptions) return;
      if (String(method.authorization ?? "NONE").toUpperCase() === "NONE") {
        report(`API method ${method.httpMethod} (${args.name}) has authorization NONE: anyone who finds the URL can call it and spend. Set authorization COGNITO_USER_POOLS with the gateway's authorizer.`);
      }
    }),
    validateResourceOfType(apigatewayv2.Route, (route, args, report) => {
      const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
      if (String(route.routeKey).startsWith("OPTIONS ") && limits.allowUnauthenticatedOptions) return;
      if (String(route.authorizationType ?? "NONE").toUpperCase() === "NONE") {
        report(`API route ${route.routeKey} (${args.name}) has authorizationType NONE (the default when unset). Set authorizationType JWT or AWS_IAM with an authorizer.`);
      }
    }),
  ],
};
