// Plays the Pulumi engine's side of the analyzer protocol against the real pack: starts `bin/index.js` (the compiled
// index.ts) in policies/ as the CLI starts a policy pack, reads the port it prints, and speaks gRPC to it on loopback:
// GetAnalyzerInfo, Configure (the --policy-pack-config file, reconciled with each policy's schema as the CLI does),
// Analyze per resource, AnalyzeStack with all of them. So @pulumi/policy's own server code (deserialization,
// unknown-value proxies, type filtering, enforcement levels) is what judges, not a re-implementation of it.
import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { EngineResource } from "./program";
import { PackConfigFile, reconcileConfig } from "./policy-config";

/* eslint-disable @typescript-eslint/no-var-requires */
const grpc = require("@grpc/grpc-js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const structPb = require("google-protobuf/google/protobuf/struct_pb");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

export const policiesDir = join(__dirname, "..", "..");

export interface Diagnostic {
  policyName: string;
  message: string;
  enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
  urn: string;
  /** Which call reported it: Analyze of one resource, or AnalyzeStack. */
  phase: "resource" | "stack";
}

const levels = ["advisory", "mandatory", "disabled", "remediate"] as const;

export class PolicyEngine {
  private constructor(private readonly child: ChildProcess, private readonly client: any) {}

  /**
   * Starts the pack in policies/ as working directory. "compiled" runs bin/index.js (tsc's output of index.ts);
   * "pulumi" runs it exactly as the CLI's Node.js policy runner does (@pulumi/pulumi's cmd/run-policy-pack, which
   * loads index.ts through ts-node with type checking), slower but proof that the pack loads the way Pulumi loads it.
   */
  static async start(runner: "compiled" | "pulumi" = "compiled"): Promise<PolicyEngine> {
    const args = runner === "compiled"
      ? [join(policiesDir, "bin", "index.js")]
      // The engine address is where the runner would send log messages; none is sent while serving.
      : [join(policiesDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js"), "127.0.0.1:1", "."];
    const child = spawn(process.execPath, args, { cwd: policiesDir, stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once("line", (line) => resolve(line.trim()));
      child.once("exit", (code) => reject(new Error(`policy pack exited with ${code} before printing its port`)));
    });
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyEngine(child, client);
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => this.client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
  }

  async info(): Promise<{ name: string; policies: { name: string; enforcementLevel: string; configSchema?: any }[] }> {
    const res: any = await this.call("getAnalyzerInfo", new emptyPb.Empty());
    return {
      name: res.getName(),
      policies: res.getPoliciesList().map((p: any) => ({
        name: p.getName(),
        enforcementLevel: levels[p.getEnforcementlevel()],
        configSchema: p.getConfigschema() ? { properties: p.getConfigschema().getProperties()?.toJavaScript(), required: p.getConfigschema().getRequiredList() } : undefined,
      })),
    };
  }

  /** Configure from a --policy-pack-config file's contents, reconciled against the pack's schemas as the CLI does. */
  async configure(file: PackConfigFile): Promise<void> {
    const info = await this.info();
    const reconciled = reconcileConfig(info.policies, file);
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(reconciled)) {
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(levels.indexOf(c.enforcementLevel as any));
      pc.setProperties(structPb.Struct.fromJavaScript(c.properties));
      map.set(name, pc);
    }
    await this.call("configure", req);
  }

  /** Analyze for each resource, then AnalyzeStack over all: the calls a preview makes. */
  async analyzeProgram(resources: EngineResource[], stackUrn: string): Promise<Diagnostic[]> {
    const out: Diagnostic[] = [];
    for (const r of resources) {
      const req = new analyzerPb.AnalyzeRequest();
      req.setType(r.type);
      req.setName(r.name);
      req.setUrn(r.urn);
      req.setProperties(structPb.Struct.fromJavaScript(r.properties));
      req.setOptions(options(r));
      if (r.provider) req.setProvider(provider(r));
      out.push(...diagnostics(await this.call("analyze", req), "resource"));
    }
    const stackReq = new analyzerPb.AnalyzeStackRequest();
    const stackResource = { type: "pulumi:pulumi:Stack", name: stackUrn.split("::").pop()!, urn: stackUrn, properties: {}, dependencies: [], propertyDependencies: {}, options: { protect: false, additionalSecretOutputs: [] } } as EngineResource;
    for (const r of [stackResource, ...resources]) {
      const ar = new analyzerPb.AnalyzerResource();
      ar.setType(r.type);
      ar.setName(r.name);
      ar.setUrn(r.urn);
      ar.setProperties(structPb.Struct.fromJavaScript(r.properties));
      ar.setOptions(options(r));
      if (r.provider) ar.setProvider(provider(r));
      if (r !== stackResource) ar.setParent(r.parent ?? stackUrn);
      ar.setDependenciesList(r.dependencies);
      const deps = ar.getPropertydependenciesMap();
      for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        const d = new analyzerPb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        deps.set(k, d);
      }
      stackReq.addResources(ar);
    }
    out.push(...diagnostics(await this.call("analyzeStack", stackReq), "stack"));
    return out;
  }
}

function options(r: EngineResource): unknown {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
  if (r.options.deleteBeforeReplace !== undefined) {
    o.setDeletebeforereplacedefined(true);
    o.setDeletebeforereplace(r.options.deleteBeforeReplace);
  }
  if (r.parent) o.setParent(r.parent);
  return o;
}

function provider(r: EngineResource): unknown {
  const p = new analyzerPb.AnalyzerProviderResource();
  p.setType(r.provider!.type);
  p.setName(r.provider!.name);
  p.setUrn(r.provider!.urn);
  p.setProperties(structPb.Struct.fromJavaScript(r.provider!.properties));
  return p;
}

function diagnostics(res: any, phase: Diagnostic["phase"]): Diagnostic[] {
  return res.getDiagnosticsList().map((d: any) => ({
    policyName: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: levels[d.getEnforcementlevel()],
    urn: d.getUrn(),
    phase,
  }));
}
