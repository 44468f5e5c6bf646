// How stack policies tell which resource refers to which: the engine passes each resource's dependencies and, per
// input property, the resources that property's value came from (propertyDependencies). These are known in
// preview even when the referenced IDs are not, so rules link by them first.
import { PolicyResource } from "@pulumi/policy";

export function refersTo(from: PolicyResource, to: PolicyResource, property?: string): boolean {
  if (property !== undefined) {
    return (from.propertyDependencies[property] ?? []).some((r) => r.urn === to.urn);
  }
  return from.dependencies.some((r) => r.urn === to.urn) ||
    Object.values(from.propertyDependencies).some((rs) => rs.some((r) => r.urn === to.urn));
}

/** A property's value if it is known; undefined (instead of the SDK's UnknownValueError) when it is not. */
export function ifKnown<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if ((e as Error)?.constructor?.name === "UnknownValueError") return undefined;
    throw e;
  }
}
