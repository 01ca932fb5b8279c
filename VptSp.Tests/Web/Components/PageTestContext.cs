using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;
using VptSp.Tests.Web.Support;
using VptSp.Runs;
using VptSp.Runs.DataRoots;
using VptSp.Web.Services.Errors;
using VptSp.Web.Services.Launch;

namespace VptSp.Tests.Web.Components;

/// <summary>A bUnit context with MudBlazor, the in-memory run platform and the providers MainLayout would supply.</summary>
public abstract class PageTestContext : BunitContext
{
    protected PageTestContext()
    {
        // The suite shares 2 cores with real training tests: renders can take far longer than bUnit's 1 s default.
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IRunService>(RunService);
        Services.AddSingleton<IRunEvents>(RunService);
        Services.AddSingleton<IDataRootService>(DataRoots);
        Services.AddSingleton(RunService.ConfigPresets);
        Services.AddSingleton<PageErrors>();
        Services.AddSingleton<LaunchService>();
        Services.AddSingleton<DemoLaunchService>();
        // baselines (run page): computed from the run's data; the in-memory runs have none, so the strip says so
        Services.TryAddSingleton(Microsoft.Extensions.Options.Options.Create(new VptSp.Runs.Options.StorageOptions { DataDirectory = BaselineDirectory }));
        Services.AddSingleton<VptSp.Web.Services.Baselines.BaselineService>();
    }

    private string BaselineDirectory { get; } = Path.Combine(Path.GetTempPath(), "vptsp-bunit-" + Guid.NewGuid().ToString("N")[..8]);

    protected InMemoryRunService RunService { get; } = new();

    // MudBlazor registers services that are only IAsyncDisposable; xunit 2 disposes test classes synchronously.
    protected override void Dispose(bool disposing)
    {
        if (disposing) DisposeAsync().AsTask().GetAwaiter().GetResult();
        else base.Dispose(false);
    }

    protected InMemoryDataRoots DataRoots { get; } = new();

    /// <summary>Renders a page under the popover, dialog and snackbar providers (selects, menus and dialogs need them).</summary>
    protected IRenderedComponent<TPage> RenderPage<TPage>() where TPage : IComponent
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(3);
            builder.CloseComponent();
        });
        return host.FindComponent<TPage>();
    }
}
