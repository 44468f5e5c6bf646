// Unwatched spend, stack level: an environment that spends (it has the router or a fleet) without an AWS Budget
// that notifies someone, or without a CloudWatch alarm that acts.
import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { limitsOf } from "../lib/config";
import { ifKnown } from "../lib/links";
import { ROUTER_CONFIG_VARIABLE } from "../lib/router-config";

interface Limits { minSpendAlarms: number }

const configSchema: PolicyConfigSchema = {
  properties: {
    minSpendAlarms: { type: "integer", minimum: 0, default: 1, description: "Fewest CloudWatch metric alarms with an action the stack must have." },
  },
};

const spends = new Set(["aws:sagemaker/endpoint:Endpoint", "aws:ecs/service:Service", "aws:autoscaling/group:Group"]);

export const stackHasBudgetAndSpendAlarms: StackValidationPolicy = {
  name: "stack-has-budget-and-spend-alarms",
  description: "A stack that spends (the router Lambda or a fleet) must have an AWS Budget (aws:budgets/budget:Budget, COST, with a limit and a notification) and CloudWatch metric alarms with actions. Fix: deploy the spend-guard components (budget and alarms) with the stack.",
  configSchema,
  validateStack: (args, report) => {
    const limits = limitsOf<Limits>(configSchema, args.getConfig<Limits>());
    const spenders = args.resources.filter((r) => spends.has(r.type) ||
      (r.type === "aws:lambda/function:Function" && ifKnown(() => ROUTER_CONFIG_VARIABLE in ((r.props as any).environment?.variables ?? {}))));
    if (spenders.length === 0) return args.notApplicable("The stack runs nothing that spends per request or per hour");
    const what = spenders.map((r) => r.name).join(", ");

    const budgets = args.resources.filter((r) => r.type === "aws:budgets/budget:Budget");
    const guarding = budgets.filter((b) => {
      const p = b.props as any;
      return p.budgetType === "COST" && (p.limitAmount !== undefined || (p.plannedLimits ?? []).length > 0) && (p.notifications ?? []).length > 0;
    });
    if (budgets.length === 0) {
      report(`The stack spends (${what}) but has no AWS Budget: nobody is told when the month's cost runs away. Add an aws:budgets/budget:Budget of type COST with a limit and a notification.`);
    } else if (guarding.length === 0) {
      report(`The stack's budgets (${budgets.map((b) => b.name).join(", ")}) are not COST budgets with a limit and a notification, so none warns anyone. Set budgetType COST, limitAmount and notifications.`);
    }

    const alarms = args.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" &&
      (ifKnown(() => ((r.props as any).alarmActions ?? []).length) ?? 1) > 0);
    if (alarms.length < limits.minSpendAlarms) {
      report(`The stack spends (${what}) but has ${alarms.length} CloudWatch metric alarm(s) with an action; this environment requires at least ${limits.minSpendAlarms}. ` +
        `Add aws:cloudwatch/metricAlarm:MetricAlarm resources on spend (e.g. the router's cost metric) with alarmActions.`);
    }
  },
};
