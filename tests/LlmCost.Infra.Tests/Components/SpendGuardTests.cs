using System.Text.Json.Nodes;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Components;

/// <summary>Alarms, dashboard, budget and notifications, read from the printed programs; thresholds against hand computation.</summary>
public sealed class SpendGuardTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    private static ProgramQuery Prod { get; } = ProgramQuery.Of(Repo.Synthesize("prod").Program);

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>());

    [Fact]
    public void SpendAlarms_Prod_ThresholdsAreThePlansP90BusiestHourAndDayTimesTheMargin()
    {
        // Per request at the router's prices (700 in, 250 out; USD per 1M tokens). small is the fleet: ml.inf2.xlarge at
        // 0.99/h (snapshot) over 2000 tokens/s x 3600 x 0.7 = 5,040,000 tokens an hour -> 0.196429 per 1M.
        //   small 0.7 x 950 x 0.196429 = 130.625285, medium 0.25 x (700 x 0.06 + 250 x 0.24) = 25.5,
        //   large 0.05 x (700 x 3.30 + 250 x 16.50) = 321.75  ->  477.875285 per 1M requests.
        // Busiest hour: 12 rps x 3600 x 0.000477875285 = 20.644212; x 1.371 (P90 at uncertainty 0.25) x 1.3 (margin) = 36.7942 -> 36.80.
        // Busiest day: (12 x 43,200 + 12 x 10,800) x 0.000477875285 = 309.663185; x 1.371 x 1.3 = 551.9127 -> 551.92.
        Prod.Properties("alarms-spend-hour")["threshold"]!.GetValue<decimal>().Should().Be(36.80m);
        Prod.Properties("alarms-spend-day")["threshold"]!.GetValue<decimal>().Should().Be(551.92m);
        Prod.Properties("alarms-spend-hour")["metricName"]!.GetValue<string>().Should().Be("costUsd");
        Prod.Properties("alarms-spend-hour")["namespace"]!.GetValue<string>().Should().Be("LlmCost");
        Prod.Properties("alarms-spend-hour")["dimensions"]!.ToJsonString().Should().Be("""{"stack":"prod"}""");
        Prod.Properties("alarms-spend-day")["period"]!.GetValue<int>().Should().Be(86_400);
    }

    [Fact]
    public void SpendAlarms_ConfiguredThresholdsWin()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:alerts", """{"emails":["a@example.com"],"hourlySpendUsd":2.5,"dailySpendUsd":20}""")));
        var query = ProgramQuery.Of(Repo.Synthesize(settings).Program);

        query.Properties("alarms-spend-hour")["threshold"]!.GetValue<decimal>().Should().Be(2.5m);
        query.Properties("alarms-spend-day")["threshold"]!.GetValue<decimal>().Should().Be(20m);
    }

    [Fact]
    public void AppBudgetPace_IsTheMonthlyBudgetSpreadOverAnAverageMonthsDays()
    {
        // 6000 USD / (730 h / 24) = 197.260... -> 197.27 per day; 3000 -> 98.64; 1000 -> 32.88.
        Prod.Properties("alarms-app-support-bot-budget-pace")["threshold"]!.GetValue<decimal>().Should().Be(197.27m);
        Prod.Properties("alarms-app-search-budget-pace")["threshold"]!.GetValue<decimal>().Should().Be(98.64m);
        Prod.Properties("alarms-app-internal-tools-budget-pace")["threshold"]!.GetValue<decimal>().Should().Be(32.88m);
        Prod.Properties("alarms-app-search-budget-pace")["dimensions"]!.ToJsonString().Should().Be("""{"stack":"prod","app":"search"}""");
        ProgramQuery.Of(Repo.Synthesize("dev").Program).OfType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .Should().NotContain(a => a.Name.StartsWith("alarms-app-", StringComparison.Ordinal), "dev's app has no monthly budget");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void EveryAlarm_NotifiesTheStacksTopic_AndTreatsNoDataAsNoTraffic(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);
        // The fleet's latency alarm drives its step scaling, not people (FleetScalingTests).
        var alarms = query.OfType("aws:cloudwatch/metricAlarm:MetricAlarm").Where(a => a.Name != "fleet-scaling-latency-alarm").ToList();

        // 2 spend, 2 token anomaly, 3 gateway, 4 router; plus one budget-pace alarm per app with a monthly budget and
        // 3 fleet alarms (prod: 3 + 3).
        alarms.Count.Should().Be(stack == "prod" ? 17 : 11);
        alarms.Should().OnlyContain(a => Strings(a.Resource["properties"]!["alarmActions"]).SequenceEqual(new[] { "${alerts-topic.arn}" }));
        // Only the idle alarm counts no data as bad: an endpoint nobody invokes is exactly what it is for.
        alarms.Where(a => a.Name != "fleet-alarms-idle").Should().OnlyContain(a => a.Resource["properties"]!["treatMissingData"]!.GetValue<string>() == "notBreaching");
        alarms.Should().OnlyContain(a => a.Resource["properties"]!["name"]!.GetValue<string>().StartsWith($"llm-cost-{stack}-", StringComparison.Ordinal));
    }

    [Fact]
    public void GatewayAlarms_AreKeyedByTheApisNameAndStage_AndThrottlesComeFromTheAccessLog()
    {
        Prod.Properties("alarms-gateway-latency-p99")["dimensions"]!.ToJsonString().Should().Be("""{"ApiName":"llm-cost-prod","Stage":"api"}""");
        Prod.Properties("gateway-api")["name"]!.GetValue<string>().Should().Be("llm-cost-prod");
        Prod.Properties("alarms-gateway-latency-p99")["threshold"]!.GetValue<int>().Should().Be(20_000);
        Prod.Properties("alarms-gateway-5xx-rate")["threshold"]!.GetValue<decimal>().Should().Be(0.05m);
        Prod.Properties("alarms-gateway-throttled")["threshold"]!.GetValue<int>().Should().Be(0);
        Prod.Properties("alarms-gateway-throttled")["evaluationPeriods"]!.GetValue<int>().Should().Be(3, "a quarter hour of throttling in a row");
        var filter = Prod.Properties("alarms-gateway-throttled-filter");
        filter["pattern"]!.GetValue<string>().Should().Be("""{ $.error = "THROTTLED" }""", "the gateway's own refusals, not the router's 429s");
        filter["logGroupName"]!.GetValue<string>().Should().Be("${gateway-access-logs.name}");
        filter["metricTransformation"]!["dimensions"]!.ToJsonString().Should().Be("""{"stack":"$.stack"}""");
        Prod.Properties("gateway-stage")["accessLogSettings"]!["format"]!.GetValue<string>().Should().StartWith("""{"stack":"prod","requestId":""");
    }

    [Fact]
    public void RouterAlarms_WatchTheFunctionAndTheFailedShareOfRequests()
    {
        Prod.Properties("alarms-router-errors")["dimensions"]!.ToJsonString().Should().Be("""{"FunctionName":"llm-cost-prod-router"}""");
        Prod.Properties("alarms-router-duration-p99")["threshold"]!.GetValue<int>().Should().Be(809_100, "90% of prod's 899 s timeout");
        var rate = Prod.Properties("alarms-router-failure-rate");
        rate["threshold"]!.GetValue<decimal>().Should().Be(5m);
        rate["metricQueries"]!.AsArray().Select(q => q!["id"]!.GetValue<string>()).Should().Equal("failed", "all", "rate");
        Prod.Properties("alarms-failed-requests-filter")["pattern"]!.GetValue<string>().Should().Be("""{ $.recordType = "llm-cost.usage" && $.status >= 500 }""");
        Prod.Properties("alarms-failed-requests-filter")["logGroupName"]!.GetValue<string>().Should().Be("${router-logs.name}");
    }

    [Fact]
    public void TokenAnomalyAlarms_UseCloudWatchsBandOnTheStackTotal()
    {
        var alarm = Prod.Properties("alarms-outputtokens-anomaly");

        alarm["comparisonOperator"]!.GetValue<string>().Should().Be("GreaterThanUpperThreshold");
        alarm["thresholdMetricId"]!.GetValue<string>().Should().Be("band");
        alarm["metricQueries"]![1]!["expression"]!.GetValue<string>().Should().Be("ANOMALY_DETECTION_BAND(m1, 3)");
        alarm["metricQueries"]![0]!["metric"]!["metricName"]!.GetValue<string>().Should().Be("outputTokens");
    }

    [Fact]
    public void Budget_Prod_IsTheDeployedP90MonthFilteredByTheStackTag_WithTheConfiguredNotifications()
    {
        var budget = Prod.Properties("budget-monthly");

        // The plan's P90 month, rounded up to the dollar (its lines are hand-checked in FleetAndForecastTests).
        var forecastP90 = Prod.Output("forecastMonthlyUsd")!["p90"]!.GetValue<decimal>();
        budget["limitAmount"]!.GetValue<string>().Should().Be($"{Math.Ceiling(forecastP90):0}.00");
        budget["costFilters"]!.ToJsonString().Should().Be("""[{"name":"TagKeyValue","values":["user:llm-cost:stack$prod"]}]""");
        budget["notifications"]!.AsArray().Select(n => $"{n!["notificationType"]} {n["threshold"]}").Should().Equal("ACTUAL 50", "ACTUAL 80", "ACTUAL 100", "FORECASTED 100");
        // The topic mails its subscribers; naming them on the budget too would send each notification twice.
        budget["notifications"]![0]!["subscriberEmailAddresses"].Should().BeNull();
        Strings(budget["notifications"]![0]!["subscriberSnsTopicArns"]).Should().Equal("${alerts-topic.arn}");
    }

    [Fact]
    public void Budget_ConfiguredAmountWins()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:alerts", """{"emails":["a@example.com"],"monthlyBudgetUsd":250}""")));

        ProgramQuery.Of(Repo.Synthesize(settings).Program).Properties("budget-monthly")["limitAmount"]!.GetValue<string>().Should().Be("250.00");
    }

    [Fact]
    public void Topic_IsEncryptedWithAKeyAlarmsAndBudgetsMayUse_AndOnlyThoseServicesPublish()
    {
        Prod.Properties("alerts-topic")["kmsMasterKeyId"]!.GetValue<string>().Should().Be("${alerts-key.id}");
        var key = ProgramQuery.Document(Prod.Properties("alerts-key")["policy"]);
        key["Statement"]![1]!["Principal"]!["Service"]!.ToJsonString().Should().Be("""["cloudwatch.amazonaws.com","budgets.amazonaws.com"]""");
        Prod.Properties("alerts-key")["enableKeyRotation"]!.GetValue<bool>().Should().BeTrue();
        var policy = ProgramQuery.Document(Prod.Properties("alerts-topic-policy")["policy"]);
        policy["Statement"]!.AsArray().Select(s => s!["Principal"]!["Service"]!.GetValue<string>()).Should().Equal("cloudwatch.amazonaws.com", "budgets.amazonaws.com");
        Prod.OfType("aws:sns/topicSubscription:TopicSubscription").Select(s => s.Resource["properties"]!["endpoint"]!.GetValue<string>())
            .Should().Equal("platform-alerts@example.com", "finops@example.com");
    }

    [Fact]
    public void ChatOpsTopic_ReceivesAlarmsAndBudgets()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:alerts", """{"chatOpsTopicArn":"arn:aws:sns:us-east-1:123456789012:chatops"}""")));
        var query = ProgramQuery.Of(Repo.Synthesize(settings).Program);

        Strings(query.Properties("alarms-spend-hour")["alarmActions"]).Should().Equal("${alerts-topic.arn}", "arn:aws:sns:us-east-1:123456789012:chatops");
        Strings(query.Properties("budget-monthly")["notifications"]![0]!["subscriberSnsTopicArns"]).Should().Equal("arn:aws:sns:us-east-1:123456789012:chatops");
        query.Count("aws:sns/topicSubscription:TopicSubscription").Should().Be(0);
    }

    [Theory]
    [InlineData(null, "llm-cost:alerts", "need someone to tell")]
    [InlineData("""{"emails":["not-an-address"]}""", "llm-cost:alerts.emails[0]", "expected an e-mail address")]
    [InlineData("""{"chatOpsTopicArn":"arn:aws:sqs:us-east-1:123456789012:q"}""", "llm-cost:alerts.chatOpsTopicArn", "an SNS topic ARN")]
    [InlineData("""{"emails":["a@example.com"],"actualPercents":[50,60,70,80],"forecastedPercents":[90,100]}""", "llm-cost:alerts.actualPercents", "at most 5 notifications")]
    [InlineData("""{"emails":["a@example.com"],"spendMargin":0.5}""", "llm-cost:alerts.spendMargin", "from 1 to 100")]
    [InlineData("""{"chatOpsTopicArn":"arn:aws:sns:eu-west-1:123456789012:chatops"}""", "llm-cost:alerts.chatOpsTopicArn", "in the stack's region (us-east-1)")]
    [InlineData("""{"emails":["a@example.com","A@Example.com"]}""", "llm-cost:alerts.emails[1]", "is listed twice")]
    public void AlertSettings_BadValues_NameTheKey(string? value, string key, string problem)
    {
        var act = () => StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:alerts", value)));

        var error = act.Should().Throw<ConfigError>().Which;
        error.Key.Should().Be(key);
        error.Problem.Should().Contain(problem);
    }

    [Fact]
    public void AlertSettings_Defaults()
    {
        var alerts = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:alerts", """{"emails":["a@example.com"]}"""))).Alerts;

        alerts.SpendMargin.Should().Be(1.5m);
        alerts.LatencyP99Ms.Should().Be(20_000);
        alerts.ErrorRatePercent.Should().Be(5m);
        alerts.ActualPercents.Should().Equal(80, 100);
        alerts.ForecastedPercents.Should().Equal(100);
        alerts.HourlySpendUsd.Should().BeNull();
        alerts.MonthlyBudgetUsd.Should().BeNull();
        alerts.ChatOpsTopicArn.Should().BeNull();
    }

    [Fact]
    public void Dashboard_ShowsSpendAgainstThePlanAndBreaksCostDownByTheContractsDimensions()
    {
        var body = ProgramQuery.Document(Prod.Properties("dashboard-dashboard")["dashboardBody"]);
        var widgets = body["widgets"]!.AsArray();
        var byRoute = widgets.Single(w => w!["properties"]!["title"]!.GetValue<string>() == "Cost per route (USD per hour)")!["properties"]!["metrics"]![0]![0]!["expression"]!.GetValue<string>();

        Prod.Properties("dashboard-dashboard")["dashboardName"]!.GetValue<string>().Should().Be("llm-cost-prod");
        widgets.Select(w => w!["properties"]!["title"]!.GetValue<string>()).Should().Contain(new[]
        {
            "Cost per model (USD per hour)", "Cost per route (USD per hour)", "Cost per app (USD per hour)", "Tokens per hour", "Requests by outcome", "Latency (ms)",
        });
        widgets[0]!["properties"]!["annotations"]!["horizontal"]![1]!["value"]!.GetValue<decimal>().Should().Be(36.80m);
        var fleet = widgets.Single(w => w!["properties"]!["title"]!.GetValue<string>() == "Fleet size against demand")!["properties"]!;
        fleet["metrics"]![2]![0]!["expression"]!.GetValue<string>().Should().Be("invocations / perInstance");
        fleet["annotations"]!["horizontal"]!.AsArray().Select(a => a!["value"]!.GetValue<int>()).Should().Equal(2, 10);
        byRoute.Should().Be("""SEARCH('{LlmCost,stack,route} stack="prod" MetricName="costUsd"', 'Sum', 3600)""");
    }

    [Fact]
    public void FleetAlarms_Prod_AtMaxIdleAndErrors_OnItsEndpointsVariant()
    {
        var variant = """{"EndpointName":"llm-cost-prod-fleet","VariantName":"primary"}""";
        var atMax = Prod.Properties("fleet-alarms-at-max");
        var idle = Prod.Properties("fleet-alarms-idle");
        var errors = Prod.Properties("fleet-alarms-errors");

        // prod's maxInstances.
        atMax["threshold"]!.GetValue<int>().Should().Be(10);
        atMax["metricQueries"]![2]!["expression"]!.GetValue<string>().Should().Be("invocations / perInstance");
        atMax["metricQueries"]![0]!["metric"]!["dimensions"]!.ToJsonString().Should().Be(variant);
        // Scaling aims at 2000 tokens/s x 0.7 x 60 / 950 tokens = 88 invocations a minute; 1% of an hour of it: 52.8 -> 52.
        idle["threshold"]!.GetValue<int>().Should().Be(52);
        idle["comparisonOperator"]!.GetValue<string>().Should().Be("LessThanThreshold");
        idle["treatMissingData"]!.GetValue<string>().Should().Be("breaching");
        idle["dimensions"]!.ToJsonString().Should().Be(variant);
        errors["threshold"]!.GetValue<decimal>().Should().Be(5m);
        ProgramQuery.Of(Repo.Synthesize("dev").Program).Resources.Should().NotContain(r => r.Key.StartsWith("fleet-alarms-", StringComparison.Ordinal));
    }

    [Fact]
    public void SavingsPlanUtilizationBudget_WherePlanRecommendsOne_WarnsBelowItsExpectedUtilization()
    {
        var budget = ProgramQuery.Of(Repo.Synthesize(Repo.ProdMeasured()).Program).Properties("savings-plan-budget-utilization");

        budget["budgetType"]!.GetValue<string>().Should().Be("SAVINGS_PLANS_UTILIZATION");
        budget["limitAmount"]!.GetValue<string>().Should().Be("100");
        budget["limitUnit"]!.GetValue<string>().Should().Be("PERCENTAGE");
        // The recommended plan covers the 2-instance baseline, used every hour (100%); warn 10 points below.
        budget["notifications"]!.ToJsonString().Should().Be("""[{"notificationType":"ACTUAL","comparisonOperator":"LESS_THAN","threshold":90,"thresholdType":"PERCENTAGE","subscriberSnsTopicArns":["${alerts-topic.arn}"]}]""");
        ProgramQuery.Of(Repo.Synthesize("dev").Program).Resources.Should().NotContain(r => r.Key.StartsWith("savings-plan-budget", StringComparison.Ordinal));
        Prod.Resources.Should().NotContain(r => r.Key.StartsWith("savings-plan-budget", StringComparison.Ordinal), "prod's plan recommends no commitment on an unmeasured throughput");
    }
}
