using VptSp.Cli;

return await CliApp.RunAsync(args);
