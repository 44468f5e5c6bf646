using LlmCost.Router.Cli;

return await RouterProgram.RunAsync(args);
