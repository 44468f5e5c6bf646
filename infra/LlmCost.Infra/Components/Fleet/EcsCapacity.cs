using System.Text;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// The fleet's EC2 instances on ECS: a launch template on the ECS-optimized Amazon Linux 2023 Neuron AMI (looked up
/// at deploy time from its public SSM parameter, so a new release is picked up without a code change), whose user
/// data joins the cluster; an instance role with AWS's managed policy for container instances; an Auto Scaling group
/// between the plan's baseline and burst; and a capacity provider whose managed scaling keeps the instances in step
/// with the tasks the service asks for.
/// </summary>
internal sealed class EcsCapacity : Component
{
    /// <summary>The AMI: AWS's public parameter (Amazon ECS developer guide, "Retrieving Amazon ECS-optimized Linux AMI metadata").</summary>
    public const string AmiParameter = "/aws/service/ecs/optimized-ami/amazon-linux-2023/neuron/recommended/image_id";

    /// <summary>Root device of the Amazon Linux 2023 AMIs.</summary>
    private const string RootDevice = "/dev/xvda";

    public EcsCapacity(Component parent, EcsCapacityArgs args) : base(parent, "capacity")
    {
        var role = Add("role", "aws:iam/role:Role", Map(
            ("description", $"llm-cost {Context.Settings.Stack} fleet instances: register with the ECS cluster"),
            ("assumeRolePolicy", ToJson(AssumedBy("ec2.amazonaws.com")))));
        Add("role-ecs", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", Map(
            ("role", Ref(role.Name, "name")),
            ("policyArn", $"arn:{Context.Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")));
        var profile = Add("profile", "aws:iam/instanceProfile:InstanceProfile", Map(("role", Ref(role.Name, "name"))));

        // The instances' own interfaces only talk out (agent, image layers); the tasks have their own (awsvpc).
        var group = Add("sg", "aws:ec2/securityGroup:SecurityGroup", Map(
            ("description", AwsNames.SecurityGroupDescription.Join(" ", "llm-cost fleet instances: no inbound, HTTPS out to ECS and ECR")),
            ("vpcId", args.Network.VpcId)));
        Add("sg-https-out", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", Map(
            ("securityGroupId", Ref(group.Name, "id")),
            ("description", AwsNames.SecurityGroupRuleDescription.Join(" ", "ECS agent, ECR and SSM over HTTPS")),
            ("ipProtocol", "tcp"),
            ("fromPort", 443),
            ("toPort", 443),
            ("cidrIpv4", "0.0.0.0/0")));

        var template = Add("launch-template", "aws:ec2/launchTemplate:LaunchTemplate", Map(
            ("description", $"llm-cost {Context.Settings.Stack} fleet: {args.InstanceType} on the ECS-optimized Neuron AMI"),
            ("imageId", Invoke("aws:ssm/getParameter:getParameter", Map(("name", AmiParameter)), "value")),
            ("instanceType", args.InstanceType),
            ("iamInstanceProfile", Map(("arn", Ref(profile.Name, "arn")))),
            ("vpcSecurityGroupIds", List(Ref(group.Name, "id"))),
            ("userData", UserData(args.ClusterName)),
            ("blockDeviceMappings", List(Map(
                ("deviceName", RootDevice),
                ("ebs", Map(("volumeSize", args.VolumeSizeGb), ("volumeType", "gp3"), ("encrypted", "true"), ("deleteOnTermination", "true")))))),
            // IMDSv2 only; hop limit 2 so the ECS agent's containers can reach it.
            ("metadataOptions", Map(("httpEndpoint", "enabled"), ("httpTokens", "required"), ("httpPutResponseHopLimit", 2))),
            ("updateDefaultVersion", true)));

        var instances = Add("instances", "aws:autoscaling/group:Group", Map(
                ("minSize", args.MinInstances),
                ("maxSize", args.MaxInstances),
                ("vpcZoneIdentifiers", Strings(args.Network.SubnetIds)),
                ("launchTemplate", Map(("id", Ref(template.Name, "id")), ("version", "$Latest"))),
                // 15 minutes for the Neuron AMI to boot and the agent to register; ECS, not EC2, judges task health.
                ("healthCheckGracePeriod", 900),
                // ECS adds this tag itself once the capacity provider manages the group; declaring it keeps Pulumi from removing it.
                ("tags", List(Map(("key", "AmazonECSManaged"), ("value", "true"), ("propagateAtLaunch", true))))),
            // The capacity provider's managed scaling sets the desired count.
            new ResourceOptions { IgnoreChanges = ["desiredCapacity"] });

        var provider = Add("provider", "aws:ecs/capacityProvider:CapacityProvider", Map(
            ("autoScalingGroupProvider", Map(
                ("autoScalingGroupArn", Ref(instances.Name, "arn")),
                ("managedTerminationProtection", "DISABLED"),
                ("managedScaling", Map(
                    ("status", "ENABLED"),
                    // 100%: no idle instances beyond what the tasks need (one task per instance).
                    ("targetCapacity", 100),
                    ("minimumScalingStepSize", 1),
                    ("maximumScalingStepSize", Math.Max(1, args.MaxInstances - args.MinInstances)),
                    ("instanceWarmupPeriod", 300)))))));

        var attachment = Add("cluster-providers", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", Map(
            ("clusterName", Ref(args.Cluster.Name, "name")),
            ("capacityProviders", List(Ref(provider.Name, "name"))),
            ("defaultCapacityProviderStrategies", List(Map(("capacityProvider", Ref(provider.Name, "name")), ("weight", 1), ("base", 0))))));

        Outputs = new EcsCapacityOutputs(provider, attachment, instances, template);
    }

    public EcsCapacityOutputs Outputs { get; }

    /// <summary>The instance joins the cluster by name (the ECS agent reads <c>/etc/ecs/ecs.config</c>); base64 as EC2 takes it.</summary>
    public static string UserData(string clusterName) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        $"#!/bin/bash\necho ECS_CLUSTER={clusterName} >> /etc/ecs/ecs.config\n"));
}

/// <param name="ClusterName">The cluster's fixed name: the user data carries it, so it is known at synthesis.</param>
internal sealed record EcsCapacityArgs(ReferenceValue Cluster, string ClusterName, Settings.FleetNetworkSettings Network, string InstanceType, int VolumeSizeGb, int MinInstances, int MaxInstances);

internal sealed record EcsCapacityOutputs(ReferenceValue Provider, ReferenceValue ClusterProviders, ReferenceValue Group, ReferenceValue LaunchTemplate);
