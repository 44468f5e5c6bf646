// IAM policy documents as the resources carry them: a JSON string (Pulumi YAML's fn::toJSON, or a literal) or an
// object. Statements are normalized so rules see arrays for Action/Resource.

export interface Statement {
  sid?: string;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  hasCondition: boolean;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export function statementsOf(policy: unknown): Statement[] {
  let doc: any = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  if (!doc || typeof doc !== "object") return [];
  const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return raw.map((s: any) => ({
    sid: s.Sid,
    effect: String(s.Effect ?? ""),
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    hasCondition: s.Condition !== undefined && Object.keys(s.Condition).length > 0,
  }));
}

/** Every policy document an IAM resource's inputs carry, with where it sits. */
export function policyDocumentsOf(type: string, props: any): { where: string; document: unknown }[] {
  switch (type) {
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/policy:Policy":
    case "aws:iam/userPolicy:UserPolicy":
    case "aws:iam/groupPolicy:GroupPolicy":
      return props.policy === undefined ? [] : [{ where: "policy", document: props.policy }];
    case "aws:iam/role:Role":
      return (props.inlinePolicies ?? []).map((p: any, i: number) => ({ where: `inlinePolicies[${i}].policy`, document: p.policy }));
    default:
      return [];
  }
}

export const IAM_POLICY_TYPES = [
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/policy:Policy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/role:Role",
];

/** Does an IAM action pattern (with * and ?) cover a concrete action? Case-insensitive, as IAM matches. */
export function actionCovers(pattern: string, action: string): boolean {
  const re = new RegExp("^" + pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("") + "$", "i");
  return re.test(action);
}
