using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// The fleet's way in on ECS: an internal application load balancer in the stack's private subnets, listening on
/// port 80 and forwarding to the serving tasks' port (IP targets: the tasks use awsvpc networking), and the security
/// groups that make it the only way in: the load balancer admits only the router's group, the tasks only the load
/// balancer. The router's group is made here and handed to the router (<see cref="RouterNetworkNeeds"/>).
/// </summary>
internal sealed class FleetNetwork : Component
{
    public const int ListenerPort = 80;

    /// <summary>HTTPS: Bedrock (through its endpoint or a NAT), ECR, CloudWatch Logs, DynamoDB, Hugging Face.</summary>
    private const int Https = 443;

    public FleetNetwork(Component parent, FleetNetworkArgs args) : base(parent, "lb")
    {
        var network = args.Network;
        var router = SecurityGroup("router-sg", "llm-cost router: member of this group reaches the fleet load balancer", network.VpcId);
        var alb = SecurityGroup("alb-sg", "llm-cost fleet load balancer: admits only the router", network.VpcId);
        var tasks = SecurityGroup("tasks-sg", "llm-cost fleet serving tasks: admit only the load balancer", network.VpcId);

        Rule("router-to-alb", egress: true, router, ListenerPort, "to the fleet load balancer", peer: alb);
        Rule("router-to-https", egress: true, router, Https, "to AWS APIs over HTTPS: Bedrock, DynamoDB", cidr: "0.0.0.0/0");
        Rule("alb-from-router", egress: false, alb, ListenerPort, "from the llm-cost router", peer: router);
        Rule("alb-to-tasks", egress: true, alb, args.ContainerPort, "to the serving tasks", peer: tasks);
        Rule("tasks-from-alb", egress: false, tasks, args.ContainerPort, "from the fleet load balancer", peer: alb);
        Rule("tasks-to-https", egress: true, tasks, Https, "image pull, logs and the model download over HTTPS", cidr: "0.0.0.0/0");

        var lb = Add("alb", "aws:lb/loadBalancer:LoadBalancer", Map(
            ("name", AwsNames.LoadBalancerName.Join("-", args.Name)),
            ("internal", true),
            ("loadBalancerType", "application"),
            ("securityGroups", List(Ref(alb.Name, "id"))),
            ("subnets", Strings(network.SubnetIds)),
            ("dropInvalidHeaderFields", true),
            // Longer than the router's 28 s timeout: the router, not the load balancer, decides when an answer is late.
            ("idleTimeout", 60)));

        // Auto-named: a target group whose port or type changes is replaced, and a fixed name would collide.
        var targets = Add("targets", "aws:lb/targetGroup:TargetGroup", Map(
            ("port", args.ContainerPort),
            ("protocol", "HTTP"),
            ("targetType", "ip"),
            ("vpcId", network.VpcId),
            // In-flight answers finish within the router's 28 s timeout.
            ("deregistrationDelay", 30),
            ("healthCheck", Map(
                ("path", args.HealthPath),
                ("port", "traffic-port"),
                ("protocol", "HTTP"),
                ("matcher", "200"),
                ("interval", 30),
                ("timeout", 5),
                ("healthyThreshold", 2),
                ("unhealthyThreshold", 3)))));

        var listener = Add("listener", "aws:lb/listener:Listener", Map(
            ("loadBalancerArn", Ref(lb.Name, "arn")),
            ("port", ListenerPort),
            ("protocol", "HTTP"),
            ("defaultActions", List(Map(("type", "forward"), ("targetGroupArn", Ref(targets.Name, "arn")))))));

        Outputs = new FleetNetworkOutputs(lb, targets, listener, router, tasks);
    }

    public FleetNetworkOutputs Outputs { get; }

    private ReferenceValue SecurityGroup(string id, string description, string vpcId) =>
        Add(id, "aws:ec2/securityGroup:SecurityGroup", Map(
            ("description", AwsNames.SecurityGroupDescription.Join(" ", description)),
            ("vpcId", vpcId)));

    private void Rule(string id, bool egress, ReferenceValue group, int port, string description, ReferenceValue? peer = null, string? cidr = null) =>
        Add(id, egress ? "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" : "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Map(
            ("securityGroupId", Ref(group.Name, "id")),
            ("description", AwsNames.SecurityGroupRuleDescription.Join(" ", description)),
            ("ipProtocol", "tcp"),
            ("fromPort", port),
            ("toPort", port),
            ("referencedSecurityGroupId", peer is null ? null : Ref(peer.Name, "id")),
            ("cidrIpv4", cidr is null ? null : (Value)cidr)));
}

/// <param name="Name">The load balancer's name (the fleet's name, shortened with a hash past 32 characters).</param>
/// <param name="ContainerPort">The serving container's port, which the target group forwards to.</param>
/// <param name="HealthPath">The serving container's health path, which the target group checks.</param>
internal sealed record FleetNetworkArgs(Settings.FleetNetworkSettings Network, string Name, int ContainerPort, string HealthPath);

/// <param name="Router">The security group the router joins; the load balancer admits it.</param>
/// <param name="Tasks">The serving tasks' security group.</param>
internal sealed record FleetNetworkOutputs(ReferenceValue LoadBalancer, ReferenceValue TargetGroup, ReferenceValue Listener, ReferenceValue Router, ReferenceValue Tasks);
