using LlmCost.Infra.Components;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Stack;

/// <summary>The synthesized stack: the program, and the router configuration it carries (for plans and tests).</summary>
public sealed record SynthesizedStack(StackSettings Settings, ProgramDocument Program, CostModel.RouterConfiguration RouterConfiguration, bool BundleBuilt);

/// <summary>Puts the components together in dependency order and declares the stack outputs.</summary>
public static class LlmCostStack
{
    public static SynthesizedStack Synthesize(StackSettings settings, PriceSnapshot prices, BundleLocator bundles)
    {
        var context = new StackContext(settings, prices, bundles);
        _ = new AwsProvider(context);
        var identity = new AppIdentity(context);
        var bedrock = new BedrockAccess(context);
        var configuration = RouterConfigurationBuilder.Build(context, identity, bedrock);
        var router = new RouterFunction(context, configuration, bedrock);
        var gateway = new Gateway(context, identity, router);

        var program = context.Program;
        program.AddOutput("apiEndpoint", gateway.Endpoint);
        program.AddOutput("tokenUrl", identity.TokenUrl);
        program.AddOutput("tokenScope", AppIdentity.InvokeScope);
        program.AddOutput("appClientIds", new MapValue(identity.Clients.Select(c => new KeyValuePair<string, Value>(c.Key, Ref(c.Value.Name, "id")))));
        program.AddOutput("routerFunctionName", router.FunctionName);
        program.AddOutput("routerLogGroup", router.LogGroupName);
        program.AddOutput("routerPriceTable", new MapValue(configuration.Routes.Select(r => new KeyValuePair<string, Value>(r.Name, Map(
            ("backend", r.Backend),
            ("model", r.ModelId),
            ("inputUsdPer1M", r.Prices.InputPer1M),
            ("outputUsdPer1M", r.Prices.OutputPer1M),
            ("maxInputTokens", r.MaxInputTokens),
            ("maxOutputTokens", r.MaxOutputTokens))))));
        program.AddOutput("pricingSource", configuration.Prices.Source);
        program.AddOutput("pricingAsOf", configuration.Prices.AsOf);

        return new SynthesizedStack(settings, program.Build(), configuration, bundles.IsBuilt(settings.Router.Architecture));
    }
}
