// The llm-cost policy pack. Pulumi starts this file (through ts-node) for
// `pulumi preview --policy-pack policies --policy-pack-config policies/<env>.json`; the constructor serves the
// policies to the engine over gRPC on loopback. Every policy defaults to mandatory; policies/<env>.json sets each
// one's level and limits per environment.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

new PolicyPack("llm-cost", { enforcementLevel: "mandatory", policies });
