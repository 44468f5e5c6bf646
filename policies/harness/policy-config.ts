// What the Pulumi CLI does with --policy-pack-config before calling Configure: every policy of the pack gets an
// enforcement level (its entry's, else "all", else the policy's own) and its properties validated against the
// policy's config schema with the schema's defaults filled in. The validation here covers the JSON-schema keywords
// the pack's schemas use (type, minimum, enum, pattern, items); unlike the CLI it also rejects properties the schema
// does not declare, so a misspelt limit cannot silently fall back to its default.

export type PackConfigFile = Record<string, string | Record<string, unknown>>;
export interface PolicyInfo { name: string; enforcementLevel: string; configSchema?: { properties?: Record<string, any>; required?: string[] } }

const levels = ["advisory", "mandatory", "disabled", "remediate"];

function check(value: unknown, schema: any, at: string): string[] {
  const errors: string[] = [];
  const type = schema.type;
  const ok = type === undefined || (type === "integer" ? Number.isInteger(value) : type === "number" ? typeof value === "number"
    : type === "array" ? Array.isArray(value) : type === "object" ? value !== null && typeof value === "object" && !Array.isArray(value) : typeof value === type);
  if (!ok) return [`${at}: expected ${type}, got ${JSON.stringify(value)}`];
  if (schema.minimum !== undefined && (value as number) < schema.minimum) errors.push(`${at}: must be at least ${schema.minimum}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: must be one of ${schema.enum.join(", ")}`);
  if (schema.pattern && !new RegExp(schema.pattern).test(String(value))) errors.push(`${at}: must match ${schema.pattern}`);
  if (schema.items && Array.isArray(value)) value.forEach((v, i) => errors.push(...check(v, schema.items, `${at}[${i}]`)));
  return errors;
}

export function reconcileConfig(policies: PolicyInfo[], file: PackConfigFile): Record<string, { enforcementLevel: string; properties: Record<string, unknown> }> {
  const errors: string[] = [];
  const names = new Set(policies.map((p) => p.name));
  for (const key of Object.keys(file)) if (key !== "all" && !names.has(key)) errors.push(`${key}: no such policy in the pack`);
  const all = typeof file.all === "string" ? file.all : undefined;
  const result: Record<string, { enforcementLevel: string; properties: Record<string, unknown> }> = {};
  for (const p of policies) {
    const entry = file[p.name];
    const { enforcementLevel: configured, ...props } = typeof entry === "string" ? { enforcementLevel: entry } : (entry ?? {});
    const enforcementLevel = String(configured ?? all ?? p.enforcementLevel);
    if (!levels.includes(enforcementLevel)) errors.push(`${p.name}.enforcementLevel: ${enforcementLevel} is not a level`);
    const schema = p.configSchema?.properties ?? {};
    const properties: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema)) if (s && "default" in s) properties[k] = s.default;
    for (const [k, v] of Object.entries(props)) {
      if (!(k in schema)) errors.push(`${p.name}.${k}: not in the policy's config schema`);
      else errors.push(...check(v, schema[k], `${p.name}.${k}`));
      properties[k] = v;
    }
    for (const k of p.configSchema?.required ?? []) if (!(k in properties)) errors.push(`${p.name}.${k}: required`);
    result[p.name] = { enforcementLevel, properties };
  }
  if (errors.length > 0) throw new Error(`invalid policy pack config:\n  ${errors.join("\n  ")}`);
  return result;
}
