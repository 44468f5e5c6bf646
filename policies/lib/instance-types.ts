// Accelerators and accelerator memory per instance type: the fleet rules judge size by these numbers, never by the
// name alone (an "xlarge" inf2 and an "8xlarge" inf2 both carry one chip; a g5.12xlarge carries four GPUs).
//
// As of 2026-11-28. Transcribed from AWS's instance type pages (not fetched live; check them when adding a type):
//   EC2 accelerated computing specifications: https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
//   Inf1 / Inf2: https://aws.amazon.com/ec2/instance-types/inf1/ , https://aws.amazon.com/ec2/instance-types/inf2/
//   Trn1 / Trn2: https://aws.amazon.com/ec2/instance-types/trn1/ , https://aws.amazon.com/ec2/instance-types/trn2/
//   G5 / G6 / G6e: https://aws.amazon.com/ec2/instance-types/g5/ , .../g6/ , .../g6e/
//   P4 / P5: https://aws.amazon.com/ec2/instance-types/p4/ , https://aws.amazon.com/ec2/instance-types/p5/
//   SageMaker ml.* hosting types (same hardware as the EC2 type without "ml."): https://aws.amazon.com/sagemaker/pricing/
// Accelerator memory is the total over all accelerators, in GiB as AWS states it (GPU "GB" taken as GiB).
// Cross-checked on 2026-11-28 for the Neuron rows against the AWS Neuron architecture pages
// (https://awsdocs-neuron.readthedocs-hosted.com/en/latest/general/arch/neuron-hardware/ : inf1-arch, inferentia2,
// trn1-arch, trainium2: 8 / 32 / 32 / 96 GiB per chip); the GPU rows were not re-checked here.

export interface AcceleratedInstance {
  /** Number of accelerators (Inferentia/Trainium chips or GPUs). */
  accelerators: number;
  /** Total accelerator memory in GiB. */
  acceleratorMemoryGiB: number;
  accelerator: string;
}

const ec2: Record<string, AcceleratedInstance> = {
  "inf1.xlarge": { accelerators: 1, acceleratorMemoryGiB: 8, accelerator: "Inferentia" },
  "inf1.2xlarge": { accelerators: 1, acceleratorMemoryGiB: 8, accelerator: "Inferentia" },
  "inf1.6xlarge": { accelerators: 4, acceleratorMemoryGiB: 32, accelerator: "Inferentia" },
  "inf1.24xlarge": { accelerators: 16, acceleratorMemoryGiB: 128, accelerator: "Inferentia" },
  "inf2.xlarge": { accelerators: 1, acceleratorMemoryGiB: 32, accelerator: "Inferentia2" },
  "inf2.8xlarge": { accelerators: 1, acceleratorMemoryGiB: 32, accelerator: "Inferentia2" },
  "inf2.24xlarge": { accelerators: 6, acceleratorMemoryGiB: 192, accelerator: "Inferentia2" },
  "inf2.48xlarge": { accelerators: 12, acceleratorMemoryGiB: 384, accelerator: "Inferentia2" },
  "trn1.2xlarge": { accelerators: 1, acceleratorMemoryGiB: 32, accelerator: "Trainium" },
  "trn1.32xlarge": { accelerators: 16, acceleratorMemoryGiB: 512, accelerator: "Trainium" },
  "trn1n.32xlarge": { accelerators: 16, acceleratorMemoryGiB: 512, accelerator: "Trainium" },
  "trn2.48xlarge": { accelerators: 16, acceleratorMemoryGiB: 1536, accelerator: "Trainium2" },
  "trn2u.48xlarge": { accelerators: 16, acceleratorMemoryGiB: 1536, accelerator: "Trainium2" },
  "g5.xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA A10G" },
  "g5.2xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA A10G" },
  "g5.4xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA A10G" },
  "g5.8xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA A10G" },
  "g5.16xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA A10G" },
  "g5.12xlarge": { accelerators: 4, acceleratorMemoryGiB: 96, accelerator: "NVIDIA A10G" },
  "g5.24xlarge": { accelerators: 4, acceleratorMemoryGiB: 96, accelerator: "NVIDIA A10G" },
  "g5.48xlarge": { accelerators: 8, acceleratorMemoryGiB: 192, accelerator: "NVIDIA A10G" },
  "g6.xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA L4" },
  "g6.2xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA L4" },
  "g6.4xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA L4" },
  "g6.8xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA L4" },
  "g6.16xlarge": { accelerators: 1, acceleratorMemoryGiB: 24, accelerator: "NVIDIA L4" },
  "g6.12xlarge": { accelerators: 4, acceleratorMemoryGiB: 96, accelerator: "NVIDIA L4" },
  "g6.24xlarge": { accelerators: 4, acceleratorMemoryGiB: 96, accelerator: "NVIDIA L4" },
  "g6.48xlarge": { accelerators: 8, acceleratorMemoryGiB: 192, accelerator: "NVIDIA L4" },
  "g6e.xlarge": { accelerators: 1, acceleratorMemoryGiB: 48, accelerator: "NVIDIA L40S" },
  "g6e.2xlarge": { accelerators: 1, acceleratorMemoryGiB: 48, accelerator: "NVIDIA L40S" },
  "g6e.4xlarge": { accelerators: 1, acceleratorMemoryGiB: 48, accelerator: "NVIDIA L40S" },
  "g6e.8xlarge": { accelerators: 1, acceleratorMemoryGiB: 48, accelerator: "NVIDIA L40S" },
  "g6e.16xlarge": { accelerators: 1, acceleratorMemoryGiB: 48, accelerator: "NVIDIA L40S" },
  "g6e.12xlarge": { accelerators: 4, acceleratorMemoryGiB: 192, accelerator: "NVIDIA L40S" },
  "g6e.24xlarge": { accelerators: 4, acceleratorMemoryGiB: 192, accelerator: "NVIDIA L40S" },
  "g6e.48xlarge": { accelerators: 8, acceleratorMemoryGiB: 384, accelerator: "NVIDIA L40S" },
  "p4d.24xlarge": { accelerators: 8, acceleratorMemoryGiB: 320, accelerator: "NVIDIA A100 40GB" },
  "p4de.24xlarge": { accelerators: 8, acceleratorMemoryGiB: 640, accelerator: "NVIDIA A100 80GB" },
  "p5.4xlarge": { accelerators: 1, acceleratorMemoryGiB: 80, accelerator: "NVIDIA H100" },
  "p5.48xlarge": { accelerators: 8, acceleratorMemoryGiB: 640, accelerator: "NVIDIA H100" },
  "p5e.48xlarge": { accelerators: 8, acceleratorMemoryGiB: 1128, accelerator: "NVIDIA H200" },
  "p5en.48xlarge": { accelerators: 8, acceleratorMemoryGiB: 1128, accelerator: "NVIDIA H200" },
};

// SageMaker hosting offers these families under "ml."; the hardware is the EC2 type's.
const sagemakerFamilies = ["inf1", "inf2", "trn1", "trn1n", "g5", "g6", "g6e", "p4d", "p4de", "p5", "p5e", "p5en"];

export const ACCELERATED_INSTANCES: Readonly<Record<string, AcceleratedInstance>> = Object.freeze({
  ...ec2,
  ...Object.fromEntries(
    Object.entries(ec2)
      .filter(([type]) => sagemakerFamilies.includes(type.split(".")[0]))
      .map(([type, spec]) => [`ml.${type}`, spec]),
  ),
});

// Families that carry accelerators. A type of one of these families that is not in the table above is refused as
// unknown (its size cannot be judged) rather than let through.
const acceleratedFamily = /^(ml\.)?(inf\d|trn\d|g\d|p\d|dl\d|gr\d|vt\d|f\d)[a-z]*\./;

export type InstanceVerdict =
  | { kind: "accelerated"; spec: AcceleratedInstance }
  | { kind: "unknown-accelerated" }
  | { kind: "not-accelerated" };

export function judgeInstanceType(instanceType: string): InstanceVerdict {
  const spec = ACCELERATED_INSTANCES[instanceType];
  if (spec) return { kind: "accelerated", spec };
  return acceleratedFamily.test(instanceType) ? { kind: "unknown-accelerated" } : { kind: "not-accelerated" };
}
