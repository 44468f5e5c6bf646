// Turns a printed Pulumi YAML program (the JSON `llm-cost synth` writes) into the resources the Pulumi engine would
// hand a policy pack: type token, logical name, URN, input properties with Pulumi YAML's expressions evaluated,
// dependencies and per-property dependencies, parent and provider.
//
// Expressions, as the YAML runtime evaluates them:
// - `${res.prop}`: if `res` sets `prop` as an input, that value (the provider's preview echoes known inputs);
//   otherwise a computed output (id, arn, invokeArn...): unknown in "preview" mode, a placeholder in "update" mode
//   (the resource exists, its outputs are known).
// - `${variable}` from fn::invoke (getCallerIdentity): known in both modes (invokes run during preview).
// - `fn::toJSON`: the JSON text of its evaluated argument (object keys sorted, as Go's encoding/json writes maps);
//   unknown if anything inside is unknown (the YAML runtime applies over the outputs).
// - `fn::fileArchive`: an archive value; `fn::secret`: a secret value.
// Not modelled: the provider's Check (autonaming, defaults such as tagsAll), which runs before Analyze in the engine.

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's unknown-value sentinel on the wire
const SIG = "4dabf18193072939515e22adb298388d";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const PLACEHOLDER_ACCOUNT = "123456789012";

export type Mode = "update" | "preview";

export interface EngineResource {
  type: string;
  name: string;
  urn: string;
  properties: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  parent?: string;
  provider?: { type: string; name: string; urn: string; properties: Record<string, unknown> };
  options: { protect: boolean; deleteBeforeReplace?: boolean; additionalSecretOutputs: string[] };
}

export interface YamlProgram {
  name: string;
  config?: Record<string, { type: string; secret?: boolean }>;
  variables?: Record<string, unknown>;
  resources: Record<string, { type: string; properties?: Record<string, unknown>; options?: Record<string, any>; defaultProvider?: boolean }>;
  outputs?: Record<string, unknown>;
}

const containsUnknown = (v: unknown): boolean =>
  v === UNKNOWN || (Array.isArray(v) ? v.some(containsUnknown) : v !== null && typeof v === "object" ? Object.values(v).some(containsUnknown) : false);

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : v !== null && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as any)[k])])) : v;

// What a computed output looks like once the resource exists: ARNs in their service's shape (policies parse them),
// IDs as recognisable placeholders.
function placeholder(type: string, name: string, prop: string, inputs: Record<string, unknown>): string {
  const account = PLACEHOLDER_ACCOUNT;
  const own = (key: string) => String(inputs[key] ?? name);
  if (!/arn$/i.test(prop)) return `${name}-${prop}`;
  switch (type) {
    case "aws:bedrock/inferenceProfile:InferenceProfile": return `arn:aws:bedrock:us-east-1:${account}:application-inference-profile/${name}`;
    case "aws:cloudwatch/logGroup:LogGroup": return `arn:aws:logs:us-east-1:${account}:log-group:${own("name")}`;
    case "aws:iam/role:Role": return `arn:aws:iam::${account}:role/${own("name")}`;
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:us-east-1:${account}:function:${own("name")}`;
      return prop === "invokeArn" ? `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations` : arn;
    }
    case "aws:apigateway/restApi:RestApi": return `arn:aws:execute-api:us-east-1:${account}:${name}`;
    case "aws:cognito/userPool:UserPool": return `arn:aws:cognito-idp:us-east-1:${account}:userpool/us-east-1_${name}`;
    default: return `arn:aws:${type.split(":")[1].split("/")[0]}:us-east-1:${account}:${name}`;
  }
}

export function toEngineResources(program: YamlProgram, stack: string, mode: Mode): EngineResource[] {
  const project = program.name;
  const urnOf = (type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
  const decls = program.resources;
  const evaluated = new Map<string, Record<string, unknown>>();
  const evaluating = new Set<string>();

  const variable = (name: string): unknown => {
    const v = program.variables?.[name] as any;
    if (v?.["fn::invoke"]?.function === "aws:index/getCallerIdentity:getCallerIdentity") return PLACEHOLDER_ACCOUNT;
    // A config key the program declares (a secret such as the Hugging Face token): Pulumi passes its decrypted value.
    if (program.config?.[name]) return `placeholder-value-of-${name}`;
    if (v === undefined) throw new Error(`harness: unknown variable ${name}`);
    throw new Error(`harness: variable ${name} is not modelled`);
  };

  // What `${path}` evaluates to; `refs` collects the resources it reads.
  const reference = (path: string, refs: Set<string>): unknown => {
    if (path === "pulumi.organization") return "organization";
    if (path === "pulumi.project") return project;
    if (path === "pulumi.stack") return stack;
    const [head, ...rest] = path.split(".");
    if (!(head in decls)) return variable(head);
    refs.add(head);
    if (rest.length === 0) return urnOf(decls[head].type, head);
    const inputs = inputsOf(head);
    let value: unknown = inputs;
    for (const key of rest) value = value !== null && typeof value === "object" ? (value as any)[key] : undefined;
    if (value !== undefined) return value;
    if (mode === "preview") return UNKNOWN;
    return placeholder(decls[head].type, head, rest.join("."), inputs);
  };

  const evaluate = (v: unknown, refs: Set<string>): unknown => {
    if (typeof v === "string") {
      const whole = /^\$\{([^}]+)\}$/.exec(v);
      if (whole) return reference(whole[1], refs);
      let unknown = false;
      const text = v.replace(/\$\$\{|\$\{([^}]+)\}/g, (match, path) => {
        if (path === undefined) return "${"; // $${ is an escaped ${
        const value = reference(path, refs);
        if (value === UNKNOWN) unknown = true;
        return String(value);
      });
      return unknown ? UNKNOWN : text;
    }
    if (Array.isArray(v)) return v.map((x) => evaluate(x, refs));
    if (v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0].startsWith("fn::")) {
        const arg = (v as any)[keys[0]];
        switch (keys[0]) {
          case "fn::toJSON": {
            const value = evaluate(arg, refs);
            return containsUnknown(value) ? UNKNOWN : JSON.stringify(sortKeys(value));
          }
          case "fn::fileArchive":
            return { [SIG]: ARCHIVE_SIG, path: evaluate(arg, refs) };
          case "fn::secret":
            return { [SIG]: SECRET_SIG, value: evaluate(arg, refs) };
          default:
            throw new Error(`harness: ${keys[0]} is not modelled`);
        }
      }
      return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, evaluate(x, refs)]));
    }
    return v;
  };

  const propertyRefs = new Map<string, Record<string, Set<string>>>();
  function inputsOf(name: string): Record<string, unknown> {
    const done = evaluated.get(name);
    if (done) return done;
    if (evaluating.has(name)) throw new Error(`harness: reference cycle through ${name}`);
    evaluating.add(name);
    const perProperty: Record<string, Set<string>> = {};
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(decls[name].properties ?? {})) {
      if (value === null) continue;
      perProperty[key] = new Set();
      inputs[key] = evaluate(value, perProperty[key]);
    }
    evaluating.delete(name);
    evaluated.set(name, inputs);
    propertyRefs.set(name, perProperty);
    return inputs;
  }

  const defaultProvider = Object.entries(decls).find(([, d]) => d.type === "pulumi:providers:aws" && d.defaultProvider);
  const resources: EngineResource[] = [];
  for (const [name, decl] of Object.entries(decls)) {
    const properties = inputsOf(name);
    const perProperty = propertyRefs.get(name)!;
    const options = decl.options ?? {};
    const dependsOn = ((options.dependsOn ?? []) as string[]).map((d) => /^\$\{([^}.]+)\}$/.exec(d)![1]);
    const all = new Set<string>([...dependsOn, ...Object.values(perProperty).flatMap((s) => [...s])]);
    const resource: EngineResource = {
      type: decl.type,
      name,
      urn: urnOf(decl.type, name),
      properties,
      dependencies: [...all].map((d) => urnOf(decls[d].type, d)),
      propertyDependencies: Object.fromEntries(Object.entries(perProperty).filter(([, s]) => s.size > 0)
        .map(([k, s]) => [k, [...s].map((d) => urnOf(decls[d].type, d))])),
      options: { protect: options.protect === true, additionalSecretOutputs: options.additionalSecretOutputs ?? [] },
    };
    if (options.deleteBeforeReplace !== undefined) resource.options.deleteBeforeReplace = options.deleteBeforeReplace;
    if (options.parent) resource.parent = urnOf(decls[/^\$\{([^}.]+)\}$/.exec(options.parent)![1]].type, /^\$\{([^}.]+)\}$/.exec(options.parent)![1]);
    const providerName = options.provider ? /^\$\{([^}.]+)\}$/.exec(options.provider)![1] : decl.type.startsWith("aws:") ? defaultProvider?.[0] : undefined;
    if (providerName) {
      resource.provider = { type: decls[providerName].type, name: providerName, urn: urnOf(decls[providerName].type, providerName), properties: inputsOf(providerName) };
    }
    resources.push(resource);
  }
  return resources;
}
