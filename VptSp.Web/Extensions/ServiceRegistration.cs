using MudBlazor.Services;
using VptSp.Runs;
using VptSp.Web.Services.Errors;
using VptSp.Web.Services.Experiments;
using VptSp.Web.Services.Launch;

namespace VptSp.Web.Extensions;

public static class ServiceRegistration
{
    public static WebApplicationBuilder AddVptSpServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddProblemDetails();
        builder.AddRunPlatform();
        builder.Services.AddSingleton<IExperimentService, ExperimentService>();
        builder.Services.AddSingleton<PageErrors>();
        builder.Services.AddSingleton<LaunchService>();
        builder.Services.AddSingleton<DemoLaunchService>();
        builder.Services.AddSingleton<VptSp.Web.Services.Baselines.BaselineService>();
        builder.AddRetrieval();
        builder.AddApiAndSecurity();
        return builder;
    }
}
