// Security: usage records and query results land in S3; a bucket needs its public access blocked and its
// encryption stated. Both are separate resources in @pulumi/aws 7, so this is a stack policy that links them to
// their bucket through the engine's property dependencies (known in preview even when the bucket ID is not).
import { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ifKnown, refersTo } from "../lib/links";

const configSchema: PolicyConfigSchema = { properties: {} };

const bucketTypes = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const blockType = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const encryptionTypes = ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"];
const blockFlags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** Does this resource's `bucket` input come from that bucket (by dependency, or by the same literal name)? */
function isFor(resource: PolicyResource, bucket: PolicyResource): boolean {
  if (refersTo(resource, bucket, "bucket")) return true;
  const name = ifKnown(() => (bucket.props as any).bucket);
  return typeof name === "string" && ifKnown(() => (resource.props as any).bucket) === name;
}

export const s3BucketsEncryptedAndPrivate: StackValidationPolicy = {
  name: "s3-buckets-encrypted-and-private",
  description: "Every S3 bucket must have a BucketPublicAccessBlock with all four flags true and a server-side encryption configuration (SSE-S3 or SSE-KMS). Fix: add aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock and aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration for the bucket.",
  configSchema,
  validateStack: (args, report) => {
    const buckets = args.resources.filter((r) => bucketTypes.includes(r.type));
    if (buckets.length === 0) return args.notApplicable("The stack has no S3 buckets");
    for (const bucket of buckets) {
      const blocks = args.resources.filter((r) => r.type === blockType && isFor(r, bucket));
      if (blocks.length === 0) {
        report(`Bucket ${bucket.name} has no public access block. Add an aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock with ${blockFlags.join(", ")} all true.`, bucket.urn);
      }
      for (const block of blocks) {
        const off = blockFlags.filter((f) => (block.props as any)[f] !== true);
        if (off.length > 0) report(`Bucket ${bucket.name}: public access block ${block.name} leaves ${off.join(", ")} unset or false. Set all four to true.`, block.urn);
      }
      const inline = ifKnown(() => (bucket.props as any).serverSideEncryptionConfiguration) !== undefined;
      const encryption = args.resources.filter((r) => encryptionTypes.includes(r.type) && isFor(r, bucket));
      if (!inline && encryption.length === 0) {
        report(`Bucket ${bucket.name} has no server-side encryption configuration. Add an aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration (sseAlgorithm aws:kms or AES256).`, bucket.urn);
      }
    }
  },
};
